package lang

import (
	"context"
	"log/slog"
)

// LogHandler is a slog.Handler that puts each record's message, when cat
// has it, into the language tag returns at the time of logging; the
// attributes, which scripts and log pipelines read, never change. A
// message cat lacks is logged as written.
type LogHandler struct {
	inner slog.Handler
	cat   *Catalog
	tag   func() Tag
}

// NewLogHandler wraps inner. tag is asked on every record: a command
// learns its language after its logger was made.
func NewLogHandler(inner slog.Handler, cat *Catalog, tag func() Tag) *LogHandler {
	return &LogHandler{inner: inner, cat: cat, tag: tag}
}

// Enabled is the wrapped handler's.
func (h *LogHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.inner.Enabled(ctx, l) }

// Handle translates r's message and hands r on.
func (h *LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if t := h.tag(); t != "" && h.cat.Has(r.Message) {
		r.Message = h.cat.Sprintf(t, r.Message)
	}
	return h.inner.Handle(ctx, r)
}

// WithAttrs wraps the wrapped handler's.
func (h *LogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &LogHandler{inner: h.inner.WithAttrs(as), cat: h.cat, tag: h.tag}
}

// WithGroup wraps the wrapped handler's.
func (h *LogHandler) WithGroup(name string) slog.Handler {
	return &LogHandler{inner: h.inner.WithGroup(name), cat: h.cat, tag: h.tag}
}
