package ocr

// Connected-component labelling on runs. A shop photo's ink mask is
// mostly long runs of ink and ground, so labelling the runs of each row
// rather than its pixels does a few operations per run where the pixel
// labeller did several per pixel; it was the detector's largest cost
// (about half of its time, in a first sweep's CPU profile and in
// BenchmarkDetect's).

// span is a run of set pixels in one row: x0 ≤ x < x1.
type span struct{ y, x0, x1 int32 }

// spans is a mask as runs, in raster order: rows[y]:rows[y+1] index the
// runs of row y.
type spans struct {
	runs []span
	rows []int32
}

func (s spans) row(y int) []span { return s.runs[s.rows[y]:s.rows[y+1]] }

// maskSpans lists the runs of mask, a w×h picture, row by row.
func maskSpans(mask []bool, w, h int) spans {
	s := spans{rows: make([]int32, h+1)}
	for y := 0; y < h; y++ {
		m := mask[y*w : (y+1)*w]
		for x := 0; x < w; {
			if !m[x] {
				x++
				continue
			}
			x0 := x
			for x < w && m[x] {
				x++
			}
			s.runs = append(s.runs, span{int32(y), int32(x0), int32(x)})
		}
		s.rows[y+1] = int32(len(s.runs))
	}
	return s
}

// grown is s grown by one pixel in each direction (a 3×3 dilation) within
// a w×h picture: row y's runs are the runs of rows y−1, y and y+1, each
// widened by a pixel, merged where they overlap or touch.
func (s spans) grown(w, h int) spans {
	out := spans{runs: make([]span, 0, len(s.runs)), rows: make([]int32, h+1)}
	for y := 0; y < h; y++ {
		var in [3][]span
		for k, dy := range []int{-1, 0, 1} {
			if yy := y + dy; yy >= 0 && yy < h {
				in[k] = s.row(yy)
			}
		}
		open := false
		var cur span
		for {
			// The next run of the three rows by its start.
			pick := -1
			for k := range in {
				if len(in[k]) > 0 && (pick < 0 || in[k][0].x0 < in[pick][0].x0) {
					pick = k
				}
			}
			if pick < 0 {
				break
			}
			r := in[pick][0]
			in[pick] = in[pick][1:]
			x0, x1 := max(r.x0-1, 0), min(r.x1+1, int32(w))
			if open && x0 <= cur.x1 {
				cur.x1 = max(cur.x1, x1)
				continue
			}
			if open {
				out.runs = append(out.runs, cur)
			}
			cur, open = span{int32(y), x0, x1}, true
		}
		if open {
			out.runs = append(out.runs, cur)
		}
		out.rows[y+1] = int32(len(out.runs))
	}
	return out
}

// components labels the 8-connected components of the runs in s and
// returns their boxes, in the raster order of their first pixel, with the
// area and summed contrast of their pixels set in ink (the mask itself,
// or the mask s was grown from).
func components(s spans, ink []bool, g grey, mean []uint8) []comp {
	// A run's parent is never after it, so a component's root is its
	// first run in raster order.
	parent := make([]int32, len(s.runs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for y := 1; y+1 < len(s.rows); y++ {
		up, lo := s.rows[y-1], s.rows[y]
		end := s.rows[y+1]
		for i := lo; i < end; i++ {
			r := s.runs[i]
			// Runs of the row above that touch r, diagonals included.
			for j := up; j < lo; j++ {
				a := s.runs[j]
				if a.x1 < r.x0 {
					up = j + 1 // left of r, so left of every later run too
					continue
				}
				if a.x0 > r.x1 {
					break
				}
				if ra, rb := find(i), find(j); ra < rb {
					parent[rb] = ra
				} else if rb < ra {
					parent[ra] = rb
				}
			}
		}
	}
	idx := make([]int32, len(s.runs))
	var comps []comp
	for i, r := range s.runs {
		root := find(int32(i))
		if root == int32(i) {
			comps = append(comps, comp{x0: int(r.x0), y0: int(r.y), x1: int(r.x1), y1: int(r.y) + 1})
			idx[i] = int32(len(comps))
		} else {
			idx[i] = idx[root]
		}
		c := &comps[idx[i]-1]
		c.x0, c.x1 = min(c.x0, int(r.x0)), max(c.x1, int(r.x1))
		c.y1 = int(r.y) + 1
		row := int(r.y) * g.W
		for x := int(r.x0); x < int(r.x1); x++ {
			if p := row + x; ink[p] {
				c.area++
				c.contrast += abs(int(g.Pix[p]) - int(mean[p]))
			}
		}
	}
	return comps
}
