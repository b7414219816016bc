package main

import "strconv"

// photos are pictures without any text: the product and gallery photos
// cropped and zoomed, and busy textures (wood grain, stripes, fabric, a
// bamboo mat, leaves) whose dense edges look like text to an edge detector.
func photos(photo func(string) string) []pic {
	zoom := func(file, src, origin string, k float64) pic {
		return pic{file: file, w: 400, h: 400, kind: "photo", bg: "photo",
			body: img(photo(src), "transform:scale("+strconv.FormatFloat(k, 'f', -1, 64)+");transform-origin:"+origin)}
	}
	texture := func(file, css string) pic {
		return pic{file: file, w: 400, h: 400, kind: "photo", bg: "photo",
			body: `<div style="position:absolute;inset:0;` + css + `"></div>`}
	}
	svgTexture := func(file, filter string) pic {
		return pic{file: file, w: 400, h: 400, kind: "photo", bg: "photo",
			body: `<svg width="400" height="400" style="position:absolute;left:0;top:0"><filter id="f" x="0" y="0" width="100%" height="100%">` + filter +
				`</filter><rect width="400" height="400" filter="url(#f)"/></svg>`}
	}
	return []pic{
		zoom("photo-tin.jpg", tin1, "50% 45%", 1.0),
		zoom("photo-tin-green.jpg", messy5, "50% 50%", 1.0),
		zoom("photo-cup-green.jpg", cupGrn, "50% 50%", 1.2),
		zoom("photo-cup-black.jpg", cupBlk, "50% 50%", 1.0),
		zoom("photo-leaves-green.jpg", leafGrn, "40% 60%", 1.8),
		zoom("photo-leaves-black.jpg", leafBlk, "55% 50%", 1.5),
		zoom("photo-giftbox.jpg", giftbox, "50% 50%", 1.0),
		zoom("photo-garden.jpg", garden, "50% 70%", 1.4),
		svgTexture("photo-wood-grain.jpg", `<feTurbulence type="fractalNoise" baseFrequency="0.004 0.06" numOctaves="4" seed="11"/>
<feColorMatrix type="matrix" values="6 0 0 0 -2.4  6 0 0 0 -2.4  6 0 0 0 -2.4  0 0 0 0 1"/>
<feComponentTransfer><feFuncR type="table" tableValues="0.36 0.7 0.4 0.74 0.38 0.72 0.42"/><feFuncG type="table" tableValues="0.2 0.45 0.23 0.48 0.21 0.46 0.25"/><feFuncB type="table" tableValues="0.08 0.24 0.1 0.26 0.09 0.25 0.11"/></feComponentTransfer>`),
		texture("photo-stripes.jpg", `background:repeating-linear-gradient(45deg,#263238 0 7px,#eceff1 7px 13px,#c62828 13px 16px,#eceff1 16px 22px);filter:blur(.6px)`),
		svgTexture("photo-fabric.jpg", `<feTurbulence type="fractalNoise" baseFrequency="0.9 0.02" numOctaves="2" seed="3" result="a"/>
<feTurbulence type="fractalNoise" baseFrequency="0.02 0.9" numOctaves="2" seed="5" result="b"/>
<feComposite in="a" in2="b" operator="arithmetic" k2="0.5" k3="0.5"/>
<feComponentTransfer><feFuncR type="linear" slope="0.5" intercept="0.45"/><feFuncG type="linear" slope="0.45" intercept="0.4"/><feFuncB type="linear" slope="0.4" intercept="0.32"/><feFuncA type="linear" slope="0" intercept="1"/></feComponentTransfer>`),
		texture("photo-bamboo-mat.jpg", `background:repeating-linear-gradient(90deg,rgba(60,40,10,.55) 0 2px,transparent 2px 60px),
repeating-linear-gradient(0deg,#c9a66b 0 3px,#e2c48c 3px 11px,#b48a4a 11px 13px,#8a6530 13px 14px)`),
	}
}
