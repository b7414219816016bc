// 山野茶铺 storefront behaviour: gallery thumbnails, cart buttons and the
// campaign countdown. Every feature checks that its elements exist, so the
// script runs cleanly on every page.
(function () {
  'use strict';

  // 商品图库：点击缩略图切换大图
  var main = document.querySelector('.gallery-main img');
  var thumbs = document.querySelectorAll('.thumbs button');
  Array.prototype.forEach.call(thumbs, function (b) {
    b.addEventListener('click', function () {
      if (!main) return;
      main.src = b.getAttribute('data-src');
      main.alt = b.getAttribute('data-alt') || main.alt;
      Array.prototype.forEach.call(thumbs, function (o) {
        o.classList.toggle('active', o === b);
      });
    });
  });

  // 购买按钮：演示店铺不下单，只给出提示
  var toast = document.getElementById('toast');
  var timer = 0;
  function say(msg) {
    if (!toast) return;
    toast.textContent = msg;
    toast.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(function () { toast.hidden = true; }, 2000);
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-action]'), function (b) {
    b.addEventListener('click', function () {
      say(b.getAttribute('data-action') === 'cart' ? '已加入购物车' : '正在前往结算…');
    });
  });

  // 双11 倒计时：开始、结束时间写在元素的 data-start / data-end 上
  var cd = document.getElementById('countdown');
  if (cd) {
    var start = new Date(cd.getAttribute('data-start')).getTime();
    var end = new Date(cd.getAttribute('data-end')).getTime();
    var now = Date.now();
    if (!isNaN(start) && !isNaN(end)) {
      if (now < start) {
        cd.textContent = '距活动开始还有 ' + span(start - now);
      } else if (now <= end) {
        cd.textContent = '距活动结束还有 ' + span(end - now);
      } else {
        cd.textContent = '本场活动已结束，感谢支持';
      }
    }
  }
  function span(ms) {
    var hours = Math.floor(ms / 3600000);
    var days = Math.floor(hours / 24);
    hours = hours % 24;
    return days > 0 ? days + ' 天 ' + hours + ' 小时' : hours + ' 小时';
  }
})();
