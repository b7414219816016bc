package pagemodel

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func blocksOf(t *testing.T, src string) []*Block {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return readBlocks(doc)
}

func TestReadText(t *testing.T) {
	src := `<html><head><title>t</title><script>var p = "¥1";</script><style>.a{}</style></head><body>
<div class="price">促销价 <span data-sc-fs="14">¥</span><em data-sc-fs="28">1,299</em><i data-sc-fs="14">.00</i></div>
<p>原价 <del><span data-sc-struck="" data-sc-fs="12">¥1,599</span></del> 省¥300</p>
<p>shown <span data-sc-hidden="" data-sc-fs="12">secret ¥49</span> text<!-- ¥59 --></p>
<div>outer <p>inner</p> tail</div>
<template><p>template ¥9</p></template>
<div hidden><p data-sc-hidden="" data-sc-fs="12">tab spec</p></div>
</body></html>`
	var got []string
	for _, b := range blocksOf(t, src) {
		shown := b.Shown
		got = append(got, b.Text+" | "+shown)
	}
	want := []string{
		"促销价 ¥1,299.00 | 促销价 ¥1,299.00",
		"原价 ¥1,599 省¥300 | 原价 ¥1,599 省¥300",
		"shown secret ¥49 text | shown text",
		"outer | outer",
		"inner | inner",
		"tail | tail",
		"tab spec | ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	blocks := blocksOf(t, src)
	text, runs := blocks[1].Shown, blocks[1].ShownRuns
	i := strings.Index(text, "¥1,599")
	if !StruckRange(text, runs, i, i+len("¥1,599")) {
		t.Error("the <del> price is not struck")
	}
	j := strings.Index(text, "省¥300")
	if StruckRange(text, runs, j, j+len("省¥300")) {
		t.Error("the saving is struck")
	}
	text, runs = blocks[0].Shown, blocks[0].ShownRuns
	k := strings.Index(text, "¥")
	if fs := FontSizeAt(runs, k, len(text)); fs != 28 {
		t.Errorf("font size of the price = %d, want 28", fs)
	}
}
