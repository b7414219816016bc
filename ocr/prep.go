package ocr

import (
	"image"
	"image/draw"
	"sort"
	"strings"

	"github.com/disintegration/imaging"
)

// Preprocessing tunables. targetGlyph is the glyph height every region is
// scaled to before Tesseract reads it; see the measurements on prepOpts.
const (
	targetGlyph = 52
	// maxScale bounds upscaling: a 7 px glyph scaled ×4 is 28 px, and
	// scaling further only invents pixels.
	maxScale = 4.0
	// slotGap is the blank between two regions of the montage, in target
	// glyph heights: enough that Tesseract never joins two regions' lines.
	slotGap = 0.8
)

// prepOpts switches the preprocessing steps; the Reader uses
// defaultPrep. What each step buys, measured on the 53 fixture pictures
// that carry key strings (pictures with every key read; CPU of this
// process and tesseract for the 53, on a loaded 2-core machine, so only
// roughly comparable):
//
//	all steps, glyphs scaled to 52 px     31/53  51 s
//	glyphs scaled to 32 px                29/53  44 s
//	no scaling                            27/53  43 s
//	no inversion of light text            20/53  43 s
//	no contrast stretch                   19/53  50 s
//
// The stretch maps the ground to white (a 1–99 % stretch read 30/53).
// Reading the whole picture in one run instead (psm 3, no detector, no
// preprocessing) read 25/53.
type prepOpts struct {
	Scale    bool // scale each region to Target
	Invert   bool // light glyphs on dark: inverted to dark on light
	Contrast bool // stretch each region's grey levels to 0–255
	Target   int  // glyph height after scaling, px; 0 means targetGlyph
	PSM      int  // Tesseract's page segmentation mode for the montage; 0 means 6
	// ColTarget is a column's glyph width after scaling for the vertical
	// model, px; 0 means columnGlyph.
	ColTarget int
}

// columnGlyph is the glyph width columns are scaled to for chi_sim_vert,
// which reads smaller glyphs better than chi_sim: on the fixture columns
// at 32 px it read 春茶上新, 一杯春露暂留客 and 国家级非遣工艺 whole, at 52
// px (targetGlyph) 春欠上新, 一林春圳暂留客 and 国家级非遣工艺; 40 and 64 px
// read fewer. 明前龙井 came back 明前故并 at 32 px, 明前龙并 at 40 and 52.
const columnGlyph = 32

var defaultPrep = prepOpts{Scale: true, Invert: true, Contrast: true, Target: targetGlyph, PSM: 6}

func (o prepOpts) target() int {
	if o.Target <= 0 {
		return targetGlyph
	}
	return o.Target
}

func (o prepOpts) colTarget() int {
	if o.ColTarget <= 0 {
		return columnGlyph
	}
	return o.ColTarget
}

func (o prepOpts) psm() int {
	if o.PSM <= 0 {
		return 6
	}
	return o.PSM
}

// slot is one region as laid into the montage: where it sits there and
// how its pixels map back to the picture.
type slot struct {
	At    image.Rectangle // in the montage
	Src   image.Rectangle // the region's crop, picture pixels
	Scale float64         // montage px per picture px
	// Cells of a vertical region: each glyph's place in the montage (At
	// coordinates) and in the picture.
	CellsAt, CellsSrc []image.Rectangle
}

// montage lays the regions of img out one under the other on a white
// ground, each cropped, turned grey, scaled and inverted as opts say: one
// page of a Tesseract run, which reads every region on it in one go.
// Vertical regions become a row of their glyph cells.
func montage(img image.Image, rs []region, opts prepOpts) (*image.Gray, []slot) {
	b := img.Bounds()
	var parts []*image.Gray
	var slots []slot
	for _, r := range rs {
		s := 1.0
		if opts.Scale {
			s = min(float64(opts.target())/float64(max(r.Glyph, 1)), maxScale)
		}
		if !r.Vertical {
			// Along the line the pad is wider: a line's ends are where
			// a flat 一 or a trailing dot may have been left out.
			pad := max(r.Glyph/3, 2)
			src := image.Rect(r.Box.Min.X-r.Glyph/2, r.Box.Min.Y-pad, r.Box.Max.X+r.Glyph/2, r.Box.Max.Y+pad).Intersect(b)
			part := prepare(img, src, s, r.Light, opts)
			if opts.Contrast {
				clearBorder(part)
			}
			parts = append(parts, part)
			slots = append(slots, slot{Src: src, Scale: s, At: part.Bounds()})
			continue
		}
		part, sl := column(img, r, s, opts)
		parts = append(parts, part)
		slots = append(slots, sl)
	}
	gap := int(slotGap * float64(opts.target()))
	w, h := 0, gap
	for _, p := range parts {
		w = max(w, p.Bounds().Dx())
		h += p.Bounds().Dy() + gap
	}
	canvas := whiteCanvas(w+2*gap, h)
	y := gap
	for i, p := range parts {
		at := image.Rect(gap, y, gap+p.Bounds().Dx(), y+p.Bounds().Dy())
		draw.Draw(canvas, at, p, p.Bounds().Min, draw.Src)
		sl := &slots[i]
		for j := range sl.CellsAt {
			sl.CellsAt[j] = sl.CellsAt[j].Add(at.Min)
		}
		sl.At = at
		y = at.Max.Y + gap
	}
	return canvas, slots
}

// whiteCanvas is a w×h page of white, the ground regions are laid on.
func whiteCanvas(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 0xff
	}
	return g
}

// prepare crops src out of img as grey, scaled by s, inverted when light.
func prepare(img image.Image, src image.Rectangle, s float64, light bool, opts prepOpts) *image.Gray {
	crop := imaging.Crop(img, src)
	w := max(int(float64(src.Dx())*s+0.5), 1)
	h := max(int(float64(src.Dy())*s+0.5), 1)
	if w != src.Dx() || h != src.Dy() {
		crop = imaging.Resize(crop, w, h, imaging.Linear)
	}
	g := image.NewGray(crop.Bounds())
	for i := 0; i < len(g.Pix); i++ {
		p := crop.Pix[i*4 : i*4+4]
		l := (19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16
		a := uint32(p[3])
		g.Pix[i] = uint8((l*a + 255*(255-a)) / 255)
	}
	if light && opts.Invert {
		for i, v := range g.Pix {
			g.Pix[i] = 255 - v
		}
	}
	if opts.Contrast {
		stretch(g.Pix)
	}
	return g
}

// borderInk is the grey level (after the stretch) under which a pixel
// touching the slot's edge counts as ink that clearBorder removes.
const borderInk = 160

// clearBorder whitens the ink connected (4-neighbours) to the edge of a
// prepared line: the line's glyphs sit inside its pad, so what reaches the
// edge is the ground beyond it (a photo's dark leaves above a price badge,
// the badge's own edge), which chi_sim reads as glyphs (到手价 over a photo
// came back 下于价).
func clearBorder(g *image.Gray) {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return
	}
	var stack []int
	push := func(x, y int) {
		i := y*g.Stride + x
		if g.Pix[i] < borderInk {
			g.Pix[i] = 255
			stack = append(stack, x, y)
		}
	}
	for x := 0; x < w; x++ {
		push(x, 0)
		push(x, h-1)
	}
	for y := 0; y < h; y++ {
		push(0, y)
		push(w-1, y)
	}
	for len(stack) > 0 {
		x, y := stack[len(stack)-2], stack[len(stack)-1]
		stack = stack[:len(stack)-2]
		if x > 0 {
			push(x-1, y)
		}
		if x+1 < w {
			push(x+1, y)
		}
		if y > 0 {
			push(x, y-1)
		}
		if y+1 < h {
			push(x, y+1)
		}
	}
}

// stretch maps the darkest 1 % of the grey levels to 0 and the median
// (the ground: a region is mostly ground) to 255, so that the text
// reaches Tesseract as black on white, with a ground equal to the
// montage's. With the ground left grey (a 1–99 % stretch) the slot's edge
// against the white montage read as a glyph: 10月7日 came back 10月7了日.
func stretch(pix []uint8) {
	var hist [256]int
	for _, v := range pix {
		hist[v]++
	}
	lo, hi := 0, 0
	cut, half := len(pix)/100, len(pix)/2
	for n := 0; lo < 255 && n+hist[lo] <= cut; lo++ {
		n += hist[lo]
	}
	for n := 0; hi < 255 && n+hist[hi] <= half; hi++ {
		n += hist[hi]
	}
	if hi-lo < 8 {
		return
	}
	var lut [256]uint8
	for v := range lut {
		x := (v - lo) * 255 / (hi - lo)
		lut[v] = uint8(min(max(x, 0), 255))
	}
	for i, v := range pix {
		pix[i] = lut[v]
	}
}

// columns lays vertical regions side by side, right to left as 竖排 is
// read, each cropped, greyed, scaled to the target glyph width, inverted
// when light, for the vertical model (psm 5).
func columns(img image.Image, rs []region, opts prepOpts) (*image.Gray, []slot) {
	b := img.Bounds()
	gap := int(slotGap * float64(opts.target()))
	var parts []*image.Gray
	var slots []slot
	order := append([]region(nil), rs...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].Box.Min.X > order[j].Box.Min.X })
	w, h := gap, 0
	for _, r := range order {
		s := 1.0
		if opts.Scale {
			s = min(float64(opts.colTarget())/float64(max(r.Glyph, 1)), maxScale)
		}
		// Along the column the pad is a whole glyph: the detector often
		// stops a column inside its last glyph (暂留客 cut in 客).
		pad := max(r.Glyph/2, 2)
		src := image.Rect(r.Box.Min.X-pad, r.Box.Min.Y-r.Glyph, r.Box.Max.X+pad, r.Box.Max.Y+r.Glyph).Intersect(b)
		part := prepare(img, src, s, r.Light, opts)
		parts = append(parts, part)
		slots = append(slots, slot{Src: src, Scale: s})
		w += part.Bounds().Dx() + gap
		h = max(h, part.Bounds().Dy())
	}
	canvas := whiteCanvas(w, h+2*gap)
	x := gap
	for i, p := range parts {
		at := image.Rect(x, gap, x+p.Bounds().Dx(), gap+p.Bounds().Dy())
		draw.Draw(canvas, at, p, p.Bounds().Min, draw.Src)
		slots[i].At = at
		x = at.Max.X + gap
	}
	return canvas, slots
}

// column lays a vertical region's glyph cells out in a row, so that the
// horizontal chi_sim model reads it.
func column(img image.Image, r region, s float64, opts prepOpts) (*image.Gray, slot) {
	b := img.Bounds()
	padX := max(r.Glyph/6, 2)
	gap := max(int(float64(r.Glyph)*s/5), 4)
	var cells []*image.Gray
	sl := slot{Scale: s}
	x, h := 0, 0
	for _, c := range r.Cells {
		src := image.Rect(c.Min.X-padX, c.Min.Y-2, c.Max.X+padX, c.Max.Y+2).Intersect(b)
		p := prepare(img, src, s, r.Light, prepOpts{Scale: opts.Scale, Invert: opts.Invert})
		cells = append(cells, p)
		sl.CellsSrc = append(sl.CellsSrc, src)
		sl.CellsAt = append(sl.CellsAt, image.Rect(x, 0, x+p.Bounds().Dx(), p.Bounds().Dy()))
		x += p.Bounds().Dx() + gap
		h = max(h, p.Bounds().Dy())
	}
	row := image.NewGray(image.Rect(0, 0, max(x-gap, 1), max(h, 1)))
	for i := range row.Pix {
		row.Pix[i] = 0xff
	}
	for i, p := range cells {
		// Centre each glyph vertically on the row.
		at := sl.CellsAt[i]
		dy := (h - at.Dy()) / 2
		at = at.Add(image.Pt(0, dy))
		sl.CellsAt[i] = at
		draw.Draw(row, at, p, p.Bounds().Min, draw.Src)
	}
	if opts.Contrast {
		stretch(row.Pix)
	}
	sl.Src = r.Box
	return row, sl
}

// mapBack turns lines read from the montage into lines in the picture's
// pixels: each word goes to the slot its centre lies in; a line that spans
// two slots is split.
func mapBack(lines []Line, slots []slot) []Line {
	lines = dropEchoes(lines)
	var out []Line
	var from []int // the slot of each line of out
	for _, l := range lines {
		cur := Line{}
		curSlot := -1
		for _, w := range l.Words {
			si, box, ok := wordSource(w.Box, slots)
			if !ok {
				continue
			}
			if si != curSlot && len(cur.Words) > 0 {
				out, from = append(out, cur), append(from, curSlot)
				cur = Line{}
			}
			curSlot = si
			w.Box = box
			cur.Words = append(cur.Words, w)
		}
		if len(cur.Words) > 0 {
			out, from = append(out, cur), append(from, curSlot)
		}
	}
	out = joinRows(out, from, slots)
	for i := range out {
		l := &out[i]
		fixYen(l.Words)
		fixDegree(l.Words)
		l.Words = dropStray(l.Words)
		fixSeven(l.Words)
		l.Text = JoinWords(l.Words)
		l.Box = l.Words[0].Box
		for _, w := range l.Words[1:] {
			l.Box = l.Box.Union(w.Box)
		}
	}
	sortLines(out)
	return out
}

// joinRows joins the lines read from one horizontal slot (a row, wider
// than tall, not a column's cells) that share a row
// (overlap across it by half the lower one's height): the detector sent
// one line, and Tesseract cut it in two (销量 and 第一 over a photo), which
// would hide a term that spans the cut.
func joinRows(lines []Line, from []int, slots []slot) []Line {
	span := func(ws []Word) (lo, hi int) {
		lo, hi = ws[0].Box.Min.Y, ws[0].Box.Max.Y
		for _, w := range ws[1:] {
			lo, hi = min(lo, w.Box.Min.Y), max(hi, w.Box.Max.Y)
		}
		return lo, hi
	}
	var out []Line
	var outFrom []int
	for i, l := range lines {
		joined := false
		for j := range out {
			if sl := slots[from[i]]; outFrom[j] != from[i] || len(sl.CellsAt) > 0 || sl.At.Dy() > sl.At.Dx() {
				continue
			}
			a0, a1 := span(out[j].Words)
			b0, b1 := span(l.Words)
			if 2*(min(a1, b1)-max(a0, b0)) >= min(a1-a0, b1-b0) {
				out[j].Words = append(out[j].Words, l.Words...)
				sort.SliceStable(out[j].Words, func(p, q int) bool { return out[j].Words[p].Box.Min.X < out[j].Words[q].Box.Min.X })
				joined = true
				break
			}
		}
		if !joined {
			out, outFrom = append(out, l), append(outFrom, from[i])
		}
	}
	return out
}

// dropEchoes drops the words that lie inside a larger word's box: chi_sim
// now and then reads a glyph's lower part again as a line of its own
// (销量第一 over a photo came back 销量 and 量第一, the second 量 inside
// the box of the first). A word four fifths inside another whose text
// holds its own is such an echo.
func dropEchoes(lines []Line) []Line {
	var all []Word
	for _, l := range lines {
		all = append(all, l.Words...)
	}
	area := func(r image.Rectangle) int { return r.Dx() * r.Dy() }
	echo := func(w Word) bool {
		for _, o := range all {
			if area(o.Box) > area(w.Box) && 5*area(w.Box.Intersect(o.Box)) >= 4*area(w.Box) &&
				w.Text != "" && strings.Contains(o.Text, w.Text) {
				return true
			}
		}
		return false
	}
	out := make([]Line, 0, len(lines))
	for _, l := range lines {
		var keep []Word
		for _, w := range l.Words {
			if !echo(w) {
				keep = append(keep, w)
			}
		}
		if len(keep) > 0 {
			l.Words = keep
			out = append(out, l)
		}
	}
	return out
}

// sortLines orders lines top to bottom, then left to right.
func sortLines(ls []Line) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i].Box, ls[j].Box
		if a.Min.Y != b.Min.Y {
			return a.Min.Y < b.Min.Y
		}
		return a.Min.X < b.Min.X
	})
}

// wordSource finds the slot holding a word's box (montage pixels) and
// returns the box in picture pixels.
func wordSource(box image.Rectangle, slots []slot) (int, image.Rectangle, bool) {
	c := image.Pt((box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2)
	for i, s := range slots {
		if !c.In(s.At) {
			continue
		}
		if len(s.CellsAt) > 0 {
			var src image.Rectangle
			for j, at := range s.CellsAt {
				if at.Min.X < box.Max.X && box.Min.X < at.Max.X {
					src = src.Union(s.CellsSrc[j])
				}
			}
			if src.Empty() {
				return 0, image.Rectangle{}, false
			}
			return i, src, true
		}
		r := box.Sub(s.At.Min)
		r = image.Rect(int(float64(r.Min.X)/s.Scale), int(float64(r.Min.Y)/s.Scale),
			int(float64(r.Max.X)/s.Scale+0.999), int(float64(r.Max.Y)/s.Scale+0.999))
		return i, r.Add(s.Src.Min).Intersect(s.Src), true
	}
	return 0, image.Rectangle{}, false
}

// yenLookalikes are what chi_sim reads for a ¥ before an amount: on the
// fixture cards 到手价¥44.9 came back as 到手价半44.9 and 到手价关44.9,
// 券后Y89 and 到手价#199, and 明前龙井¥298 as 明前龙井y298.
var yenLookalikes = map[rune]bool{'Y': true, 'y': true, '半': true, '关': true, '#': true, '￥': true}

// fixYen writes ¥ for a lookalike that stands right before a digit, as
// the first rune of a word or as a word of its own before a number.
func fixYen(words []Word) {
	for i := range words {
		r := []rune(words[i].Text)
		if len(r) == 0 || !yenLookalikes[r[0]] {
			continue
		}
		var next rune
		if len(r) > 1 {
			next = r[1]
		} else if i+1 < len(words) {
			if n := []rune(words[i+1].Text); len(n) > 0 {
				next = n[0]
			}
		}
		if next >= '0' && next <= '9' {
			r[0] = '¥'
			words[i].Text = string(r)
		}
	}
}

// degreeLookalikes are what chi_sim reads for the ° of ℃ after a number:
// on the fixture detail pages 水温85℃ came back as 水温85"C.
var degreeLookalikes = map[rune]bool{'°': true, '"': true, '\'': true, 'º': true, '”': true, '“': true}

// fixDegree writes ℃ for a degree lookalike and C that follow a digit, in
// one word or with the number the word before: a brewing temperature. °C
// itself becomes ℃, its compatibility equivalent, so that a key reads the
// same either way.
func fixDegree(words []Word) {
	for i := range words {
		r := []rune(words[i].Text)
		var out []rune
		for j := 0; j < len(r); j++ {
			prevDigit := j > 0 && r[j-1] >= '0' && r[j-1] <= '9'
			if j == 0 && i > 0 {
				p := []rune(words[i-1].Text)
				prevDigit = len(p) > 0 && p[len(p)-1] >= '0' && p[len(p)-1] <= '9'
			}
			if prevDigit && degreeLookalikes[r[j]] && j+1 < len(r) && r[j+1] == 'C' {
				out = append(out, '℃')
				j++
				continue
			}
			out = append(out, r[j])
		}
		words[i].Text = string(out)
	}
}

// fixSeven writes 7 for a 了 between 月 and 日, where a date's day stands
// and Chinese never writes 了: chi_sim reads a 7 so (10月7日 came back
// 10月了日 on a fixture detail page). The runes may be in one word or in
// neighbouring words.
func fixSeven(words []Word) {
	var rs [][]rune
	for _, w := range words {
		rs = append(rs, []rune(w.Text))
	}
	at := func(i, j int) rune { // rune j of word i, stepping across words
		for j < 0 && i > 0 {
			i--
			j += len(rs[i])
		}
		for i < len(rs) && j >= len(rs[i]) {
			j -= len(rs[i])
			i++
		}
		if i >= len(rs) || j < 0 {
			return 0
		}
		return rs[i][j]
	}
	for i := range rs {
		changed := false
		for j, r := range rs[i] {
			if r == '了' && at(i, j-1) == '月' && at(i, j+1) == '日' {
				rs[i][j] = '7'
				changed = true
			}
		}
		if changed {
			words[i].Text = string(rs[i])
		}
	}
}

// dropStray drops a 了 that stands between a number and 日 or 月, where
// Chinese never writes one: the stretch of a date's slot edge read as a
// glyph (10月7日 came back 10月7了日 on a fixture detail page). Only a
// 了 that is a word of its own goes; one inside a longer word is left.
func dropStray(words []Word) []Word {
	out := words[:0:0]
	for i, w := range words {
		if w.Text == "了" && i > 0 && i+1 < len(words) {
			p, n := []rune(words[i-1].Text), []rune(words[i+1].Text)
			if len(p) > 0 && len(n) > 0 && p[len(p)-1] >= '0' && p[len(p)-1] <= '9' && (n[0] == '日' || n[0] == '月') {
				continue
			}
		}
		out = append(out, w)
	}
	return out
}
