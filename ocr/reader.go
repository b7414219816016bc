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
const Pipeline = "5"

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
// regions, columns in a second run with the vertical model.
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
	for _, pass := range []struct {
		rs    []region
		langs string
		psm   int
		lay   func(image.Image, []region, prepOpts) (*image.Gray, []slot)
	}{
		{rows, r.opts.Languages, opts.psm(), montage},
		{cols, strings.TrimPrefix(r.vertical(), "|"), 5, columns},
	} {
		if len(pass.rs) == 0 {
			continue
		}
		canvas, slots := pass.lay(img, pass.rs, opts)
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, canvas); err != nil {
			return Result{}, fmt.Errorf("encode png: %w", err)
		}
		lines, err := r.engine.recognize(ctx, buf.Bytes(), pass.langs, pass.psm, image.Point{}, 1)
		if err != nil {
			return Result{}, err
		}
		res.Lines = append(res.Lines, mapBack(lines, slots)...)
		for _, s := range slots {
			res.Regions = append(res.Regions, s.Src)
		}
	}
	sortLines(res.Lines)
	return res, nil
}
