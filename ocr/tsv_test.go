package ocr

import (
	"image"
	"strings"
	"testing"
)

func TestParseTSV(t *testing.T) {
	// A run over two pictures: the second page's lines are the second
	// picture's, numbered from 1 again.
	const tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t750\t300\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t31\t41\t440\t70\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t31\t41\t60\t60\t96.9\t全\n" +
		"5\t1\t1\t1\t1\t2\t91\t41\t60\t60\t96.8\t网\n" +
		"5\t1\t1\t1\t1\t3\t151\t41\t40\t60\t95\t \n" +
		"5\t1\t1\t1\t2\t1\t31\t120\t80\t30\t91.5\tsave\n" +
		"5\t1\t1\t1\t2\t2\t120\t120\t40\t30\t40\t20%\n" +
		"5\t1\t1\t1\t2\t3\t170\t120\t30\t30\t88\t折\n" +
		"5\t1\t2\t1\t1\t1\t10\t200\t30\t20\t77\tbad\tcolumn\n" +
		"1\t2\t0\t0\t0\t0\t0\t0\t400\t100\t-1\t\n" +
		"5\t2\t1\t1\t1\t1\t5\t6\t20\t30\t88\t春\n"
	pages, err := parseTSV(strings.NewReader(tsv), 3)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		text string
		box  image.Rectangle
		conf float64
	}
	want := [][]line{
		{
			{"全网", image.Rect(31, 41, 151, 101), 96.8},
			{"save 20%折", image.Rect(31, 120, 200, 150), 40},
			{"bad\tcolumn", image.Rect(10, 200, 40, 220), 77},
		},
		{{"春", image.Rect(5, 6, 25, 36), 88}},
		nil, // a picture the engine read nothing in
	}
	for p, wl := range want {
		got := pages[p]
		if len(got) != len(wl) {
			t.Fatalf("page %d: got %d lines %+v, want %d", p+1, len(got), got, len(wl))
		}
		for i, w := range wl {
			if got[i].Text != w.text || got[i].Box != w.box || got[i].MinConf() != w.conf {
				t.Errorf("page %d line %d = %q %v %v, want %q %v %v", p+1, i, got[i].Text, got[i].Box, got[i].MinConf(), w.text, w.box, w.conf)
			}
		}
	}
}

func TestParseTSVBad(t *testing.T) {
	for _, tsv := range []string{
		"5\t1\tx\t1\t1\t1\t0\t0\t1\t1\t90\ta\n", // not a number
		"5\t3\t1\t1\t1\t1\t0\t0\t1\t1\t90\ta\n", // a page the run was not given
	} {
		if _, err := parseTSV(strings.NewReader(tsv), 2); err == nil {
			t.Errorf("parseTSV(%q) = nil error", tsv)
		}
	}
}
