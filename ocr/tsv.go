package ocr

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"
)

// parseTSV reads Tesseract's TSV output (level, page_num, block_num,
// par_num, line_num, word_num, left, top, width, height, conf, text) into
// lines of words, in the engine's reading order. Rows above word level and
// empty words are structure only. off is added to every box: the origin of
// the region the engine was given, in picture pixels.
func parseTSV(r io.Reader, off image.Point, scale float64) ([]Line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	type key struct{ block, par, line int }
	var lines []Line
	idx := map[key]int{}
	first := true
	for sc.Scan() {
		row := sc.Text()
		if first {
			first = false
			if strings.HasPrefix(row, "level\t") {
				continue
			}
		}
		f := strings.Split(row, "\t")
		if len(f) < 12 {
			continue
		}
		if f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(strings.Join(f[11:], "\t"))
		if text == "" {
			continue
		}
		var n [10]int
		for i := 1; i <= 9; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("tsv column %d %q: %w", i+1, f[i], err)
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tsv conf %q: %w", f[10], err)
		}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		if scale > 0 && scale != 1 {
			box = image.Rect(int(float64(box.Min.X)/scale), int(float64(box.Min.Y)/scale),
				int(float64(box.Max.X)/scale+0.999), int(float64(box.Max.Y)/scale+0.999))
		}
		box = box.Add(off)
		k := key{n[2], n[3], n[4]}
		i, ok := idx[k]
		if !ok {
			i = len(lines)
			idx[k] = i
			lines = append(lines, Line{})
		}
		lines[i].Words = append(lines[i].Words, Word{Text: text, Box: box, Conf: conf})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tsv: %w", err)
	}
	for i := range lines {
		l := &lines[i]
		l.Text = JoinWords(l.Words)
		l.Box = l.Words[0].Box
		for _, w := range l.Words[1:] {
			l.Box = l.Box.Union(w.Box)
		}
	}
	return lines, nil
}
