package report

import (
	"embed"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

//go:embed messages/*.yaml
var messageFiles embed.FS

// words is the catalog of the reports' own words (sheet and column names,
// areas, statuses; TestWords loads it).
var words = lang.Compiled(messageFiles, "messages/*.yaml")

// XLSXInput is what the inspection sheet shows.
type XLSXInput struct {
	Run *storage.RunData
	// Lives are the target's findings followed across its runs, by
	// fingerprint: first seen, owner, due date, overdue, reopened. Nil
	// leaves those columns empty.
	Lives     map[string]track.Life
	Lang      lang.Tag
	Generated time.Time
}

// xlsxURLs is how many of a group's pages its row lists; the count says
// how many there are.
const xlsxURLs = 20

// WriteXLSX writes the run as an inspection sheet (抽检报告) in Excel's
// format: a summary (the shop, the run, the verdict, problems by area and
// severity), the findings as one row per group (area, rule, severity,
// subject, pages, first seen, advice, owner, due, status) with filters
// and a frozen header, and the pages with their metrics. Findings' messages
// must already be in in.Lang (checks.Localize).
func WriteXLSX(w io.Writer, in XLSXInput) error {
	t := wordsIn(in.Lang)
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	groups := Groups(in.Run.Findings)
	sheets := []struct {
		name string
		fill func(name string) error
	}{
		{t("sheet.summary"), func(s string) error { return xlsxSummary(f, s, in, groups, t, bold) }},
		{t("sheet.findings"), func(s string) error { return xlsxFindings(f, s, in, groups, t, bold, wrap) }},
		{t("sheet.pages"), func(s string) error { return xlsxPages(f, s, in, t, bold) }},
	}
	for i, sh := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err == nil {
			err = sh.fill(sh.name)
		}
		if err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", sh.name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func xlsxSummary(f *excelize.File, s string, in XLSXInput, groups []Group, t tfunc, bold int) error {
	r := in.Run.Run
	verdict := t("summary.pass")
	if r.Findings.Error > 0 {
		verdict = t("summary.fail", r.Findings.Error)
	}
	rows := [][]any{
		{t("summary.title")},
		{t("summary.shop"), r.Name},
		{t("summary.run"), r.ID},
		{t("summary.started"), r.StartedAt.Format("2006-01-02 15:04:05 -0700")},
		{t("summary.status"), word(t, "html.run-status", string(r.Status))},
		{t("summary.verdict"), verdict},
		{t("table.host"), hostCell(t, r)},
		{t("summary.pages"), len(in.Run.Pages)},
		{t("summary.groups"), len(groups)},
		{t("summary.findings"), len(in.Run.Findings)},
		{t("summary.generated"), in.Generated.Format("2006-01-02 15:04:05 -0700")},
		{},
		{t("summary.area"), t("severity.error"), t("severity.warning"), t("severity.info")},
	}
	for _, a := range areaCounts(groups) {
		rows = append(rows, []any{t("area." + a.Area), a.Error, a.Warning, a.Info})
	}
	if err := setRows(f, s, rows); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A1", "A1", bold); err != nil {
		return err
	}
	if err := f.SetRowStyle(s, 12, 12, bold); err != nil {
		return err
	}
	return f.SetColWidth(s, "A", "A", 22)
}

func xlsxFindings(f *excelize.File, s string, in XLSXInput, groups []Group, t tfunc, bold, wrap int) error {
	cols := []string{"area", "rule", "severity", "subject", "pages", "urls", "viewports", "message", "first-seen", "advice", "owner", "due", "status"}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = t("col." + c)
	}
	rows := [][]any{head}
	for _, g := range groups {
		urls := g.URLs()
		listed := urls[:min(len(urls), xlsxURLs)]
		more := ""
		if len(urls) > len(listed) {
			more = fmt.Sprintf("\n… +%d", len(urls)-len(listed))
		}
		life := groupLife(g, in.Lives)
		rows = append(rows, []any{
			t("area." + checks.AreaOf(g.Rule)), g.Rule, t("severity." + string(g.Severity)), g.Subject,
			len(urls), strings.Join(listed, "\n") + more, strings.Join(g.Viewports(), ", "), g.Findings[0].Message,
			life.firstSeen, checks.Advice(g.Rule, in.Lang), life.owner, life.due, t("status." + life.status),
		})
	}
	last, err := tableSheet(f, s, rows, bold)
	if err != nil {
		return err
	}
	if len(rows) > 1 {
		if err := f.SetCellStyle(s, "A2", last, wrap); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 12, "B": 24, "C": 8, "D": 30, "E": 8, "F": 50, "G": 14, "H": 50, "I": 12, "J": 50, "K": 12, "L": 12, "M": 10} {
		if err := f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// life is what the findings of one group say across runs.
type life struct {
	firstSeen, owner, due string
	status                string // a key of statusRank
}

// statusRank orders a group's statuses by urgency: the sheet shows the
// most urgent of its findings'. A failed re-check (复查未通过) outranks a
// plain reopening: someone said it was fixed, and the run says it is not.
var statusRank = map[string]int{"open": 0, "assigned": 1, "pending": 2, "reopened": 3, "failed": 4, "overdue": 5}

// groupLife sums the lives of g's findings: the earliest first sighting,
// the first owner and due date assigned, and the most urgent status.
func groupLife(g Group, lives map[string]track.Life) life {
	out := life{status: "open"}
	var first time.Time
	for _, f := range g.Findings {
		l, ok := lives[f.Fingerprint]
		if !ok {
			continue
		}
		if first.IsZero() || l.FirstSeen.At.Before(first) {
			first = l.FirstSeen.At
		}
		if l.Assignment != nil && out.owner == "" {
			out.owner, out.due = l.Assignment.Owner, l.Assignment.Due
		}
		status := "open"
		switch {
		case l.Overdue:
			status = "overdue"
		case l.Recheck == track.RecheckFailed:
			status = "failed"
		case l.Reopened > 0:
			status = "reopened"
		case l.Recheck == track.RecheckPending:
			status = "pending"
		case l.Assignment != nil:
			status = "assigned"
		}
		if statusRank[status] > statusRank[out.status] {
			out.status = status
		}
	}
	if !first.IsZero() {
		out.firstSeen = first.Format("2006-01-02")
	}
	return out
}

func xlsxPages(f *excelize.File, s string, in XLSXInput, t tfunc, bold int) error {
	cols := []string{"url", "viewport", "http", "kind", "load", "lcp", "fcp", "cls", "tbt", "bytes", "findings"}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = t("col." + c)
	}
	count := map[[2]string]int{}
	for _, f := range in.Run.Findings {
		count[[2]string{f.URL, f.Viewport}]++
	}
	rows := [][]any{head}
	for _, p := range in.Run.Pages {
		m := p.Metrics
		rows = append(rows, []any{p.URL, p.Viewport, p.Status, word(t, "html.kind", string(p.Kind)), num(m.Loadms), num(m.LCPms), num(m.FCPms),
			num(m.CLS), num(m.TBTms), m.TransferBytes, count[[2]string{p.URL, p.Viewport}]})
	}
	if _, err := tableSheet(f, s, rows, bold); err != nil {
		return err
	}
	return f.SetColWidth(s, "A", "A", 60)
}

// tableSheet writes rows (a header row first) to sheet s as a table a
// clerk filters and scrolls: filters on every column, the header bold and
// frozen. It returns the bottom-right cell.
func tableSheet(f *excelize.File, s string, rows [][]any, bold int) (string, error) {
	if err := setRows(f, s, rows); err != nil {
		return "", err
	}
	last, err := excelize.CoordinatesToCellName(len(rows[0]), len(rows))
	if err != nil {
		return "", err
	}
	if err := f.AutoFilter(s, "A1:"+last, nil); err != nil {
		return "", err
	}
	if err := f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return "", err
	}
	return last, f.SetRowStyle(s, 1, 1, bold)
}

// num is a metric for a cell: empty when not measured.
func num(v *float64) any {
	if v == nil {
		return ""
	}
	return *v
}

func setRows(f *excelize.File, s string, rows [][]any) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(s, cell, &row); err != nil {
			return err
		}
	}
	return nil
}

// hostCell is the host's figures and, when they may have inflated the
// timings, by how much.
func hostCell(t tfunc, r storage.Run) string {
	h := hostLoadOf(r)
	if !h.measured() {
		return "-"
	}
	if w := h.warning(t); w != "" {
		return h.describe(t) + "\n" + w
	}
	return h.describe(t)
}
