package ocr

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"runtime"
	"time"

	// Decoders for the pictures shops serve.
	_ "image/gif"
	_ "image/jpeg"

	_ "golang.org/x/image/webp"
)

// Pipeline names how a Reader turns a picture into text (detector,
// preprocessing, segmentation modes). It is part of every cache key: bump it
// whenever a change could read a picture differently.
const Pipeline = "1"

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
}

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
	if opts.Languages == "" {
		opts.Languages = "chi_sim+eng"
	}
	return &Reader{engine: e, opts: opts, cache: cache, slots: make(chan struct{}, opts.Workers)}
}

// Key is the cache key of a picture: its content hash, the languages, the
// engine's version and the Pipeline.
func (r *Reader) Key(picture []byte) string {
	h := sha256.Sum256(picture)
	return hex.EncodeToString(h[:]) + "|" + r.opts.Languages + "|" + r.engine.Version + "|" + Pipeline
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
	img, _, err := image.Decode(bytes.NewReader(picture))
	if err != nil {
		return Result{}, false, fmt.Errorf("decode picture: %w", err)
	}
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{}, false, ctx.Err()
	}
	defer func() { <-r.slots }()
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

// readImage reads the whole picture in one pass (automatic segmentation).
func (r *Reader) readImage(ctx context.Context, img image.Image) (Result, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Result{}, fmt.Errorf("encode png: %w", err)
	}
	lines, err := r.engine.recognize(ctx, buf.Bytes(), r.opts.Languages, 3, img.Bounds().Min, 1)
	if err != nil {
		return Result{}, err
	}
	return Result{Lines: lines, Regions: []image.Rectangle{img.Bounds()}}, nil
}
