package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrNotInstalled is returned by Find when there is no tesseract program.
var ErrNotInstalled = errors.New("tesseract not installed")

// Engine is the tesseract program a Reader runs.
type Engine struct {
	Path    string // absolute path of the program
	Version string // first line of `tesseract --version`, e.g. "tesseract 5.3.0"
	// Vertical is the model that reads columns (竖排) when installed
	// (Debian tesseract-ocr-chi-sim-vert): "chi_sim_vert", else "".
	Vertical string
}

// verticalModel reads Chinese columns. Measured on the fixture columns:
// 国家级非遗工艺, 匠心制茶二十年, 春茶上新, 一杯春露暂留 read whole with it
// (psm 5), where chi_sim over the same glyphs cut and laid in a row read
// 遗工艺, 茶一十年, 春茶上新 and nothing.
const verticalModel = "chi_sim_vert"

// versionTimeout bounds `tesseract --version` and `--list-langs`: both
// answer in milliseconds; a program that hangs there is not usable.
const versionTimeout = 10 * time.Second

// Find locates tesseract: path when set (ocr.tesseract), else the PATH.
// It runs the program once to learn its version, which is part of every
// cache key.
func Find(ctx context.Context, path string) (*Engine, error) {
	if path == "" {
		p, err := exec.LookPath("tesseract")
		if err != nil {
			return nil, fmt.Errorf("%w: not on PATH", ErrNotInstalled)
		}
		path = p
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotInstalled, err)
	}
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%w: %s --version: %v", ErrNotInstalled, path, err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if !strings.HasPrefix(first, "tesseract") {
		return nil, fmt.Errorf("%w: %s --version says %q", ErrNotInstalled, path, first)
	}
	e := &Engine{Path: path, Version: strings.TrimSpace(first)}
	// Without the vertical model columns are read by laying their glyphs
	// in a row; a failing --list-langs only costs that.
	if langs, err := e.Languages(ctx); err == nil && slices.Contains(langs, verticalModel) {
		e.Vertical = verticalModel
	}
	return e, nil
}

// Missing returns the languages of langs (Tesseract's -l form,
// "chi_sim+eng") the engine has no trained data for; none when it can read
// them all.
func (e *Engine) Missing(ctx context.Context, langs string) ([]string, error) {
	have, err := e.Languages(ctx)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, l := range strings.Split(langs, "+") {
		if !slices.Contains(have, l) {
			missing = append(missing, l)
		}
	}
	return missing, nil
}

// Languages lists the trained languages the engine has (--list-langs).
func (e *Engine) Languages(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, e.Path, "--list-langs").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s --list-langs: %w", e.Path, err)
	}
	var langs []string
	for _, l := range strings.Split(string(out), "\n")[1:] {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return langs, nil
}

// recognize runs tesseract once over pictures (PNG each) and parses its
// TSV into each picture's lines, boxes in that picture's pixels. psm is
// Tesseract's page segmentation mode. The pictures go in as files named in
// a list on stdin, which Tesseract reads page by page: the models load once
// for all of them (≈ 0.3 s of CPU for chi_sim, 0.45 s with eng: most of a
// run over one picture), and a page is read as it would be alone (the
// fixtures' eight detail pictures gave the same TSV either way; the model
// loads are before huge pages, see engineEnv). OMP_THREAD_LIMIT=1: the
// Reader's pool is the one knob of parallelism; Tesseract's own OpenMP
// threads on top of it only contend (measured on 2 cores: 0.9 s user +
// 1.1 s sys for a banner with them). The process runs
// at a lower priority (lowPriority): the sweep renders and times pages
// while pictures are read, and a page's TBT or LCP must not include
// another page's OCR.
func (e *Engine) recognize(ctx context.Context, pngs [][]byte, langs string, psm int) ([][]Line, error) {
	dir, err := os.MkdirTemp("", "storecheck-ocr-")
	if err != nil {
		return nil, fmt.Errorf("tesseract input: %w", err)
	}
	defer os.RemoveAll(dir)
	var list strings.Builder
	for i, b := range pngs {
		name := filepath.Join(dir, fmt.Sprintf("%03d.png", i))
		if err := os.WriteFile(name, b, 0o600); err != nil {
			return nil, fmt.Errorf("tesseract input: %w", err)
		}
		list.WriteString(name + "\n")
	}
	cmd := exec.CommandContext(ctx, e.Path, "stdin", "stdout", "-l", langs, "--psm", strconv.Itoa(psm), "tsv")
	cmd.Stdin = strings.NewReader(list.String())
	cmd.Env = engineEnv(os.Environ())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Start()
	if err == nil {
		lowPriority(cmd.Process.Pid)
		err = cmd.Wait()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("tesseract: %w", ctx.Err())
		}
		return nil, fmt.Errorf("tesseract: %w: %s", err, firstLine(stderr.String()))
	}
	return parseTSV(&stdout, len(pngs))
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// engineEnv is the environment tesseract runs in: env with
// OMP_THREAD_LIMIT=1 (see recognize) and glibc's malloc told to back its
// heap with transparent huge pages. Tesseract spends much of a run in
// page faults: loading chi_sim allocates and clears tens of megabytes for
// its unicharset and network a 4 KiB page at a time, which costs most
// inside a virtual machine. With huge pages a model loads in 0.14 s
// instead of 0.25 s of CPU, and the eight detail pictures cost 2.5–2.6 s
// instead of 2.9–3.1 (four runs each); the text read is the same. Where
// the kernel has huge pages off, or glibc predates the tunable (2.35), it
// changes nothing. A GLIBC_TUNABLES of the user's is kept, ours added.
func engineEnv(env []string) []string {
	const hugeHeap = "glibc.malloc.hugetlb=1"
	out := make([]string, 0, len(env)+2)
	tunables := hugeHeap
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "OMP_THREAD_LIMIT="):
			continue
		case strings.HasPrefix(kv, "GLIBC_TUNABLES="):
			if v := strings.TrimPrefix(kv, "GLIBC_TUNABLES="); v != "" {
				tunables = v + ":" + hugeHeap
			}
			continue
		}
		out = append(out, kv)
	}
	return append(out, "OMP_THREAD_LIMIT=1", "GLIBC_TUNABLES="+tunables)
}
