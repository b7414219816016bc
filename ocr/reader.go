package ocr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/png"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	// Decoders for the pictures shops serve.
	_ "image/gif"
	_ "image/jpeg"

	_ "golang.org/x/image/webp"
)

// Pipeline names how a Reader turns a picture into text (detector,
// preprocessing, segmentation modes). It is part of every cache key: bump it
// whenever a change could read a picture differently.
const Pipeline = "10"

// Cache keeps results by key across runs (the store implements it). Get's
// ok is false for a key never put.
type Cache interface {
	Get(ctx context.Context, key string) (r Result, ok bool, err error)
	Put(ctx context.Context, key string, r Result) error
}

// Options are a Reader's settings.
type Options struct {
	// Languages is Tesseract's -l value (ocr.languages), e.g. "chi_sim+eng".
	Languages string
	// Workers bounds the tesseract processes running at once; 0 means one
	// per CPU.
	Workers int
	// Timeout bounds one picture's reading; 0 means 30 s.
	Timeout time.Duration
	// MaxPixels is the largest picture decoded, in pixels; a larger one
	// is an error (ErrTooLarge) found from its header alone, before any
	// memory is spent. 0 means 40 million (images.max_megapixels' default).
	MaxPixels int
}

// ErrTooLarge is returned by Read for a picture over Options.MaxPixels.
var ErrTooLarge = errors.New("picture too large to read")

// Reader reads pictures with an Engine, through a Cache. Safe for
// concurrent use; at most Options.Workers pictures are read at once.
type Reader struct {
	engine *Engine
	opts   Options
	cache  Cache // nil: no cache
	slots  chan struct{}
}

// NewReader returns a Reader over e. cache may be nil.
func NewReader(e *Engine, opts Options, cache Cache) *Reader {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = 40_000_000
	}
	if opts.Languages == "" {
		opts.Languages = "chi_sim+eng"
	}
	return &Reader{engine: e, opts: opts, cache: cache, slots: make(chan struct{}, opts.Workers)}
}

// Key is the cache key of a picture: its content hash, the languages, the
// engine's version and the Pipeline.
func (r *Reader) Key(picture []byte) string {
	h := sha256.Sum256(picture)
	return hex.EncodeToString(h[:]) + "|" + r.opts.Languages + "|" + r.engine.Version + "|" + Pipeline + r.vertical()
}

// Read returns the text of a picture given as its encoded bytes (JPEG,
// PNG, GIF, WebP). cached is true when the result came from the cache and
// no engine ran. A picture that does not decode, times out or crashes the
// engine is an error; the caller skips it.
func (r *Reader) Read(ctx context.Context, picture []byte) (res Result, cached bool, err error) {
	key := r.Key(picture)
	if r.cache != nil {
		if res, ok, err := r.cache.Get(ctx, key); err == nil && ok {
			return res, true, nil
		}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(picture))
	if err != nil {
		return Result{}, false, fmt.Errorf("decode picture: %w", err)
	}
	if cfg.Width*cfg.Height > r.opts.MaxPixels {
		return Result{}, false, fmt.Errorf("%w: %dx%d px", ErrTooLarge, cfg.Width, cfg.Height)
	}
	// The slot bounds decoding and detection too: they are CPU and memory
	// as much as the engine is.
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{}, false, ctx.Err()
	}
	defer func() { <-r.slots }()
	img, _, err := image.Decode(bytes.NewReader(picture))
	if err != nil {
		return Result{}, false, fmt.Errorf("decode picture: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	res, err = r.readImage(ctx, img)
	if err != nil {
		return Result{}, false, err
	}
	if r.cache != nil {
		if err := r.cache.Put(ctx, key, res); err != nil {
			return res, false, fmt.Errorf("cache ocr result: %w", err)
		}
	}
	return res, false, nil
}

// vertical is the model for columns, or "" to lay their glyphs in a
// row: chi_sim_vert when installed and the languages include chi_sim.
func (r *Reader) vertical() string {
	if r.engine.Vertical == "" || !slices.Contains(strings.Split(r.opts.Languages, "+"), "chi_sim") {
		return ""
	}
	return "|" + r.engine.Vertical
}

// readImage finds the picture's text regions and, when there are any,
// reads them: lines in one engine run over a montage of the prepared
// regions (and a second over those read unsure, see rowLangs), columns in
// another run with the vertical model.
func (r *Reader) readImage(ctx context.Context, img image.Image) (Result, error) {
	return r.readRegions(ctx, img, detect(img), defaultPrep)
}

func (r *Reader) readRegions(ctx context.Context, img image.Image, rs []region, opts prepOpts) (Result, error) {
	var rows, cols []region
	for _, rg := range rs {
		if rg.Vertical && r.vertical() != "" {
			cols = append(cols, rg)
		} else {
			rows = append(rows, rg)
		}
	}
	var res Result
	if len(rows) > 0 {
		first, second := r.rowLangs()
		lines, slots, err := r.pass(ctx, img, rows, first, opts.psm(), montage, opts)
		if err != nil {
			return Result{}, err
		}
		if again := unsure(lines, slots); len(again) > 0 && second != "" {
			var retry []region
			for _, i := range again {
				retry = append(retry, rows[i])
			}
			lines2, slots2, err := r.pass(ctx, img, retry, second, opts.psm(), montage, opts)
			if err != nil {
				return Result{}, err
			}
			lines = better(lines, slots, lines2, slots2)
		}
		res.Lines = append(res.Lines, lines...)
		for _, s := range slots {
			res.Regions = append(res.Regions, s.Src)
		}
	}
	if len(cols) > 0 {
		lines, slots, err := r.pass(ctx, img, cols, strings.TrimPrefix(r.vertical(), "|"), 5, columns, opts)
		if err != nil {
			return Result{}, err
		}
		res.Lines = append(res.Lines, lines...)
		for _, s := range slots {
			res.Regions = append(res.Regions, s.Src)
		}
	}
	sortLines(res.Lines)
	return res, nil
}

// pass lays regions out with lay, runs the engine once over the result and
// returns the lines in picture pixels with the slots they were read from.
func (r *Reader) pass(ctx context.Context, img image.Image, rs []region, langs string, psm int,
	lay func(image.Image, []region, prepOpts) (*image.Gray, []slot), opts prepOpts) ([]Line, []slot, error) {
	canvas, slots := lay(img, rs, opts)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, canvas); err != nil {
		return nil, nil, fmt.Errorf("encode png: %w", err)
	}
	lines, err := r.engine.recognize(ctx, buf.Bytes(), langs, psm, image.Point{}, 1)
	if err != nil {
		return nil, nil, err
	}
	return mapBack(lines, slots), slots, nil
}

// rowLangs are the models lines are read with: first for every line,
// second again for a line first read unsure ("" for none). When the
// languages are chi_sim and more, chi_sim alone reads first: with eng
// beside it Tesseract takes a bold Chinese line for Latin (11月11日 read
// 115118, 双11狂欢 FULLER, 95折 SOM); the line it reads unsure (a price
// in Latin digits, a Latin line) is read again with all the languages.
// Measured on the 53 fixture pictures with keys, all read: chi_sim+eng
// alone 37, chi_sim alone 33, chi_sim+eng then chi_sim on unsure lines
// 38 (70 keys), chi_sim then chi_sim+eng 38 (71 keys); CPU for the 65
// pictures 41 s, 37 s, 49 s, 47 s.
func (r *Reader) rowLangs() (first, second string) {
	ls := strings.Split(r.opts.Languages, "+")
	if len(ls) < 2 || !slices.Contains(ls, "chi_sim") {
		return r.opts.Languages, ""
	}
	return "chi_sim", r.opts.Languages
}

// retryConf is the mean word confidence (0–100) of a line's region under
// which it is read again (see rowLangs): 50 read 37 fixture pictures
// whole, 70 read 38.
const retryConf = 70

// slotOf is the index of the slot whose source holds the centre of box,
// or -1.
func slotOf(box image.Rectangle, slots []slot) int {
	c := image.Pt((box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2)
	for i, s := range slots {
		if c.In(s.Src) {
			return i
		}
	}
	return -1
}

// slotConf is the mean confidence of the words read in each slot; 0 for
// a slot where nothing was read.
func slotConf(lines []Line, slots []slot) []float64 {
	sum := make([]float64, len(slots))
	n := make([]int, len(slots))
	for _, l := range lines {
		i := slotOf(l.Box, slots)
		if i < 0 {
			continue
		}
		for _, w := range l.Words {
			sum[i] += w.Conf
			n[i]++
		}
	}
	for i := range sum {
		if n[i] > 0 {
			sum[i] /= float64(n[i])
		}
	}
	return sum
}

// unsure lists the slots whose read is under retryConf.
func unsure(lines []Line, slots []slot) []int {
	weak := make([]bool, len(slots))
	for _, l := range lines {
		if i := slotOf(l.Box, slots); i >= 0 && l.MinConf() < retryWord {
			weak[i] = true
		}
	}
	var out []int
	for i, c := range slotConf(lines, slots) {
		if c < retryConf || weak[i] {
			out = append(out, i)
		}
	}
	return out
}

// retryWord: a line with a word under this confidence is read again too.
const retryWord = 40

// surerWords takes into slot i's line (of lines, read first) each word of
// slot j's second read (lines2) that is surer than every word of the
// first read it overlaps along the line: a read surer as a whole can
// still be worse in a word (明前龙井¥298 came back 明前龙井298 with chi_sim,
// the 298 at confidence 0, and BAB AH ¥298 with chi_sim+eng, ¥298 at
// 80). Only a slot read as one line is merged; a word of the second read
// that overlaps nothing is not taken.
func surerWords(lines []Line, slots []slot, i int, lines2 []Line, slots2 []slot, j int) []Line {
	at := -1
	for k, l := range lines {
		if slotOf(l.Box, slots) == i {
			if at >= 0 {
				return lines
			}
			at = k
		}
	}
	if at < 0 {
		return lines
	}
	over := func(a, b image.Rectangle) bool {
		o := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
		return 2*o > min(a.Dx(), b.Dx())
	}
	words := lines[at].Words
	changed := false
	for _, l2 := range lines2 {
		if slotOf(l2.Box, slots2) != j {
			continue
		}
		for _, w2 := range l2.Words {
			var rest []Word
			hit, surer := false, true
			for _, w := range words {
				if over(w.Box, w2.Box) {
					hit = true
					surer = surer && w2.Conf > w.Conf
				}
			}
			if !hit || !surer {
				continue
			}
			for _, w := range words {
				if !over(w.Box, w2.Box) {
					rest = append(rest, w)
				}
			}
			words = append(rest, w2)
			changed = true
		}
	}
	if !changed {
		return lines
	}
	sort.SliceStable(words, func(a, b int) bool { return words[a].Box.Min.X < words[b].Box.Min.X })
	out := append([]Line(nil), lines...)
	l := Line{Words: words, Text: JoinWords(words), Box: words[0].Box}
	for _, w := range words[1:] {
		l.Box = l.Box.Union(w.Box)
	}
	out[at] = l
	return out
}

// better replaces the lines of each slot read again (slots2, the same
// sources as some of slots) when the second read is surer.
func better(lines []Line, slots []slot, lines2 []Line, slots2 []slot) []Line {
	c1, c2 := slotConf(lines, slots), slotConf(lines2, slots2)
	for j, s2 := range slots2 {
		i := -1
		for k, s := range slots {
			if s.Src == s2.Src {
				i = k
				break
			}
		}
		if i < 0 {
			continue
		}
		if c2[j] <= c1[i] {
			lines = surerWords(lines, slots, i, lines2, slots2, j)
			continue
		}
		var keep []Line
		for _, l := range lines {
			if slotOf(l.Box, slots) != i {
				keep = append(keep, l)
			}
		}
		for _, l := range lines2 {
			if slotOf(l.Box, slots2) == j {
				keep = append(keep, l)
			}
		}
		lines = keep
	}
	return lines
}
