package sweep

import (
	"cmp"
	"embed"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
)

// progress shows a live line on a terminal and plain log lines otherwise.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	quiet    bool
	log      interface{ Info(string, ...any) }
	findings int
	drawn    bool
	tag      lang.Tag // the live line's language
}

func newProgress(w io.Writer, log interface{ Info(string, ...any) }, quiet bool, tag lang.Tag) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &progress{w: w, tty: tty, quiet: quiet, log: log, tag: cmp.Or(tag, lang.EN)}
}

//go:embed messages/*.yaml
var messageFiles embed.FS

// words is the sweep's catalog (the progress line; TestProgressLine
// renders it).
var words = lang.Compiled(messageFiles, "messages/*.yaml")

// line is the live progress line's text.
func (p *progress) line(pr crawler.Progress, rate float64) string {
	return words().Sprintf(p.tag, "progress.line", pr.Done, pr.Queued, p.findings, strconv.FormatFloat(rate, 'f', 2, 64))
}

func (p *progress) page(pg *crawler.Page, findings int) {
	p.mu.Lock()
	p.findings += findings
	p.mu.Unlock()
	if p.quiet || p.tty {
		return
	}
	var load any
	if pg.Metrics.Loadms != nil {
		load = int(*pg.Metrics.Loadms)
	}
	p.log.Info("page", "url", pg.URL, "viewport", pg.Viewport.Name, "status", pg.Status,
		"kind", pg.Kind, "load_ms", load, "findings", findings, "error", pg.Error)
}

func (p *progress) update(pr crawler.Progress) {
	if p.quiet || !p.tty {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	rate := float64(pr.Done) / time.Since(pr.Started).Seconds()
	fmt.Fprintf(p.w, "\r\033[K%s", p.line(pr, rate))
	p.drawn = true
}

func (p *progress) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
