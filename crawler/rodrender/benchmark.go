package rodrender

import (
	"context"
	"fmt"
	"time"

	"github.com/go-rod/rod/lib/proto"
)

// benchmarkJS scores the CPU a page's main thread gets, in the manner of
// Lighthouse's benchmark index (its environment.benchmarkIndex): iterations
// per second, divided by ten, of two fixed loops, one that allocates
// (building a 10 000-character string) and one that does not (copying a
// 100 000-element array), averaged, each loop run for a set time. The
// loops are not Lighthouse 12's own: on the 2-core CI machine this scores
// 850–1350 idle where Lighthouse 12 reported 2100–2800 (about half; see
// docs/performance.md), and 500–800 beside two busy loops. A core shared
// with other busy processes scores proportionally less, which is the
// point: the figure says what the pages' scripts got while they ran.
const benchmarkJS = `(function (ms) {
  var t0 = performance.now(), n = 0;
  while (performance.now() - t0 < ms) {
    var s = '';
    for (var j = 0; j < 10000; j++) s += 'a';
    n++;
  }
  var alloc = n / 10 / ((performance.now() - t0) / 1000);
  var a = [], b = [];
  for (var i = 0; i < 100000; i++) a[i] = b[i] = i;
  t0 = performance.now(); n = 0;
  while (n %% 10 !== 0 || performance.now() - t0 < ms) {
    var src = n %% 2 ? b : a, dst = n %% 2 ? a : b;
    for (var k = 0; k < src.length; k++) dst[k] = src[k];
    n++;
  }
  var copy = n / 10 / ((performance.now() - t0) / 1000);
  return (alloc + copy) / 2;
})(%d)`

// BenchmarkIndex runs a short fixed CPU benchmark in a blank tab of the
// browser, each of its two loops for d, and returns its score (see
// benchmarkJS). The sweep runs it once as it starts, before any page
// renders, to record how fast and how busy the host was.
func (r *Renderer) BenchmarkIndex(ctx context.Context, d time.Duration) (float64, error) {
	in, err := r.pick()
	if err != nil {
		return 0, fmt.Errorf("benchmark: %w", err)
	}
	t, err := r.openTab(ctx, in)
	if err != nil {
		return 0, fmt.Errorf("benchmark: open tab: %w", err)
	}
	defer r.disposeTab(in, t)
	var res proto.RuntimeEvaluateResult
	expr := fmt.Sprintf(benchmarkJS, d.Milliseconds())
	if err := in.call(ctx, t.session, proto.RuntimeEvaluate{Expression: expr, ReturnByValue: true}, &res); err != nil {
		return 0, fmt.Errorf("benchmark: %w", err)
	}
	if res.ExceptionDetails != nil {
		return 0, fmt.Errorf("benchmark: %s", res.ExceptionDetails.Text)
	}
	v := res.Result.Value.Num()
	if v <= 0 {
		return 0, fmt.Errorf("benchmark: no score (%s)", res.Result.Value.Raw())
	}
	return v, nil
}
