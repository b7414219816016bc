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
// par_num, line_num, word_num, left, top, width, height, conf, text) of a
// run over pages pictures into each picture's lines of words, in the
// engine's reading order, boxes in that picture's pixels. Rows above word
// level and empty words are structure only.
func parseTSV(r io.Reader, pages int) ([][]Line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	type key struct{ page, block, par, line int }
	out := make([][]Line, pages)
	idx := map[key]int{}
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue // the header, structure rows, stray output
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
		page := n[1] - 1
		if page < 0 || page >= pages {
			return nil, fmt.Errorf("tsv page %d of a run over %d pictures", n[1], pages)
		}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		k := key{page, n[2], n[3], n[4]}
		i, ok := idx[k]
		if !ok {
			i = len(out[page])
			idx[k] = i
			out[page] = append(out[page], Line{})
		}
		out[page][i].Words = append(out[page][i].Words, Word{Text: text, Box: box, Conf: conf})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tsv: %w", err)
	}
	for _, lines := range out {
		for i := range lines {
			l := &lines[i]
			l.Text = JoinWords(l.Words)
			l.Box = l.Words[0].Box
			for _, w := range l.Words[1:] {
				l.Box = l.Box.Union(w.Box)
			}
		}
	}
	return out, nil
}
