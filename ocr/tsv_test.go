package ocr

import (
	"image"
	"strings"
	"testing"
)

func TestParseTSV(t *testing.T) {
	const tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t750\t300\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t31\t41\t440\t70\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t31\t41\t60\t60\t96.9\t全\n" +
		"5\t1\t1\t1\t1\t2\t91\t41\t60\t60\t96.8\t网\n" +
		"5\t1\t1\t1\t1\t3\t151\t41\t40\t60\t95\t \n" +
		"5\t1\t1\t1\t2\t1\t31\t120\t80\t30\t91.5\tsave\n" +
		"5\t1\t1\t1\t2\t2\t120\t120\t40\t30\t40\t20%\n" +
		"5\t1\t1\t1\t2\t3\t170\t120\t30\t30\t88\t折\n" +
		"5\t1\t2\t1\t1\t1\t10\t200\t30\t20\t77\tbad\tcolumn\n"
	lines, err := parseTSV(strings.NewReader(tsv), image.Pt(100, 10), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		text string
		box  image.Rectangle
		conf float64
	}{
		{"全网", image.Rect(115, 30, 176, 61), 96.8},
		{"save 20%折", image.Rect(115, 70, 200, 85), 40},
		{"bad\tcolumn", image.Rect(105, 110, 120, 120), 77},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(lines), lines, len(want))
	}
	for i, w := range want {
		if lines[i].Text != w.text || lines[i].Box != w.box || lines[i].MinConf() != w.conf {
			t.Errorf("line %d = %q %v %v, want %q %v %v", i, lines[i].Text, lines[i].Box, lines[i].MinConf(), w.text, w.box, w.conf)
		}
	}
}

func TestParseTSVBadNumber(t *testing.T) {
	_, err := parseTSV(strings.NewReader("5\t1\tx\t1\t1\t1\t0\t0\t1\t1\t90\ta\n"), image.Point{}, 1)
	if err == nil {
		t.Fatal("want an error for a non-numeric column")
	}
}
