package checks

import "strings"

// SeverityLabel is the severity as the catalog shows it: SeverityDoc when the
// severity depends on the page ("home / else"), else the default severity.
func (c *Check) SeverityLabel() string {
	if c.SeverityDoc != "" {
		return c.SeverityDoc
	}
	return string(c.Severity)
}

// CatalogEntry is one rule as `storecheck rules --format json` lists it.
// Severity is the default severity (the one --fail-on compares against);
// SeverityDoc, when set, is the catalog's wording of a page-dependent
// severity ("home / else").
type CatalogEntry struct {
	ID          string `json:"id"`
	Severity    string `json:"severity"`
	SeverityDoc string `json:"severity_doc,omitempty"`
	Subject     string `json:"subject"`
	Doc         string `json:"doc"`
}

// Catalog describes reg's checks in reg's order (the registry is sorted by ID).
func Catalog(reg []*Check) []CatalogEntry {
	out := make([]CatalogEntry, 0, len(reg))
	for _, c := range reg {
		out = append(out, CatalogEntry{ID: c.ID, Severity: string(c.Severity), SeverityDoc: c.SeverityDoc,
			Subject: c.Subject, Doc: c.Doc})
	}
	return out
}

// MarkdownTable renders reg as the README's rule table
// (| rule | severity | subject | fires when |), one row per check in reg's
// order, ending in a newline. The severity column is SeverityLabel. Pipes
// and line breaks in cells are escaped so the table stays one row per rule.
func MarkdownTable(reg []*Check) string {
	var b strings.Builder
	b.WriteString("| rule | severity | subject | fires when |\n|---|---|---|---|\n")
	for _, c := range reg {
		b.WriteString("| " + mdCell(c.ID) + " | " + mdCell(c.SeverityLabel()) + " | " +
			mdCell(c.Subject) + " | " + mdCell(c.Doc) + " |\n")
	}
	return b.String()
}

func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
