package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/storage"
)

// sarifSchemaLoader is the official SARIF 2.1.0 schema (errata 01), as
// go-sarif v3.3.1 embeds it.
func sarifSchemaLoader(t *testing.T) *gojsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validSARIF(t *testing.T, schema *gojsonschema.Schema, doc []byte) {
	t.Helper()
	res, err := schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("schema: %s", e)
	}
}

// The validator is not a no-op: it rejects what the schema forbids.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := sarifSchemaLoader(t)
	for _, doc := range []string{
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "baselineState": "gone"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "info"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
	} {
		res, err := schema.Validate(gojsonschema.NewStringLoader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid() {
			t.Errorf("schema accepts %s", doc)
		}
	}
}

func TestSARIF(t *testing.T) {
	db := fixture(t)
	schema := sarifSchemaLoader(t)
	rules := checks.Registry()
	run1 := loadRun(t, db, "1")
	res, _ := handDiff(run1)
	level := map[checks.Severity]string{checks.SeverityError: "error", checks.SeverityWarning: "warning", checks.SeverityInfo: "note"}

	type want struct {
		findings []checks.Finding   // one result each, in this order unless diff
		baseline map[string]string  // fingerprint -> baselineState; nil outside a diff
		props    map[string]float64 // run.properties: object -> its "id"
	}
	baseline := map[string]string{}
	var diffFindings []checks.Finding
	for _, f := range res.New {
		baseline[f.Fingerprint] = "new"
		diffFindings = append(diffFindings, f.Finding)
	}
	for _, f := range res.Persisting {
		baseline[f.Fingerprint] = "unchanged"
		diffFindings = append(diffFindings, f)
	}
	for _, c := range res.Changed {
		baseline[c.After.Fingerprint] = "updated"
		diffFindings = append(diffFindings, c.After)
	}
	for _, f := range res.Resolved {
		baseline[f.Fingerprint] = "absent"
		diffFindings = append(diffFindings, f)
	}
	checks.SortFindings(diffFindings)
	run3 := loadRun(t, db, "3")
	hand := handRun()

	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
		want   want
	}{
		{"run", func(b *bytes.Buffer) error { return RunSARIF(b, run1, rules, "1.2.3") },
			want{run1.Findings, nil, map[string]float64{"run": 1}}},
		{"run without findings", func(b *bytes.Buffer) error { return RunSARIF(b, run3, rules, "1.2.3") },
			want{nil, nil, map[string]float64{"run": 3}}},
		{"hand-built run", func(b *bytes.Buffer) error { return RunSARIF(b, hand, rules, "1.2.3") },
			want{hand.Findings, nil, map[string]float64{"run": 7}}},
		{"diff", func(b *bytes.Buffer) error { return DiffSARIF(b, res, rules, "1.2.3") },
			want{diffFindings, baseline, map[string]float64{"base": 1, "head": 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := tt.render(&out); err != nil {
				t.Fatal(err)
			}
			validSARIF(t, schema, out.Bytes())

			rep, err := sarif.FromBytes(out.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Version != "2.1.0" || len(rep.Runs) != 1 {
				t.Fatalf("version %q, %d runs", rep.Version, len(rep.Runs))
			}
			run := rep.Runs[0]
			drv := run.Tool.Driver
			if *drv.Name != "storecheck" || *drv.Version != "1.2.3" || *drv.InformationURI != "https://github.com/storecheck/storecheck" {
				t.Errorf("driver %q %q %q", *drv.Name, *drv.Version, *drv.InformationURI)
			}
			if len(drv.Rules) != len(rules) {
				t.Fatalf("%d rules, the catalog has %d", len(drv.Rules), len(rules))
			}
			for i, c := range rules {
				r := drv.Rules[i]
				if *r.ID != c.ID || *r.ShortDescription.Text != c.Doc || r.DefaultConfiguration.Level != level[c.Severity] ||
					r.Properties.Properties["subject"] != c.Subject || r.Properties.Properties["severity"] != c.SeverityLabel() {
					t.Errorf("rule %d = %s %q %s %v, want %s", i, *r.ID, *r.ShortDescription.Text, r.DefaultConfiguration.Level, r.Properties.Properties, c.ID)
				}
			}

			if len(run.Results) != len(tt.want.findings) {
				t.Fatalf("%d results, want %d", len(run.Results), len(tt.want.findings))
			}
			levels, states := map[string]int{}, map[string]int{}
			for i, f := range tt.want.findings {
				r := run.Results[i]
				levels[r.Level]++
				if *r.RuleID != f.Rule || r.Level != level[f.Severity] || *r.Message.Text != f.Message && f.Message != "" {
					t.Errorf("result %d: %s %s %q, want %s %s %q", i, *r.RuleID, r.Level, *r.Message.Text, f.Rule, f.Severity, f.Message)
				}
				if fp := r.PartialFingerprints["storecheck/v1"]; fp != f.Fingerprint {
					t.Errorf("result %d fingerprint %q, want %q", i, fp, f.Fingerprint)
				}
				if uri := *r.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != f.URL {
					t.Errorf("result %d uri %q, want %q", i, uri, f.URL)
				}
				p := r.Properties.Properties
				if p["viewport"] != f.Viewport || p["subject"] != f.Subject {
					t.Errorf("result %d properties %v", i, p)
				}
				if _, ok := p["evidence"].(map[string]any); !ok {
					t.Errorf("result %d evidence %v is not an object", i, p["evidence"])
				}
				if j := indexOfRule(rules, f.Rule); j >= 0 && r.RuleIndex != j {
					t.Errorf("result %d ruleIndex %d, want %d", i, r.RuleIndex, j)
				}
				state := ""
				if r.BaselineState != nil {
					state = *r.BaselineState
				}
				if state != tt.want.baseline[f.Fingerprint] {
					t.Errorf("result %d baselineState %q, want %q", i, state, tt.want.baseline[f.Fingerprint])
				}
				states[state]++
			}
			if tt.want.baseline == nil {
				d := map[string]*storage.RunData{"run": run1, "run without findings": run3, "hand-built run": hand}[tt.name]
				c := d.Run.Findings
				if levels["error"] != c.Error || levels["warning"] != c.Warning || levels["note"] != c.Info {
					t.Errorf("levels %v, the run counts %+v", levels, c)
				}
			} else if states["new"] != len(res.New) || states["unchanged"] != len(res.Persisting) ||
				states["updated"] != len(res.Changed) || states["absent"] != len(res.Resolved) {
				t.Errorf("baseline states %v, diff has %d new %d persisting %d changed %d resolved", states,
					len(res.New), len(res.Persisting), len(res.Changed), len(res.Resolved))
			}
			for key, id := range tt.want.props {
				obj, _ := run.Properties.Properties[key].(map[string]any)
				if obj["id"] != id || obj["started_at"] == nil || obj["now"] == nil || obj["name"] != "shop" && obj["name"] != "other" && obj["name"] != "hand" {
					t.Errorf("run.properties[%q] = %v", key, obj)
				}
			}
			if len(run.Invocations) != 1 || run.Invocations[0].StartTimeUtc == nil {
				t.Errorf("invocations %v", run.Invocations)
			}

			var twice bytes.Buffer
			if err := tt.render(&twice); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(twice.Bytes(), out.Bytes()) {
				t.Error("two renderings differ")
			}
			if !bytes.HasSuffix(out.Bytes(), []byte("}\n")) || strings.Contains(out.String(), `\u0026`) {
				t.Error("want a trailing newline and URLs with a plain &")
			}
		})
	}
}

// A rule missing from the catalog has no ruleIndex (go-sarif would read
// an absent one as 0, so look at the raw JSON).
func TestSARIFUnknownRule(t *testing.T) {
	var out bytes.Buffer
	if err := RunSARIF(&out, handRun(), checks.Registry(), "dev"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Message   struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, r := range doc.Runs[0].Results {
		if r.RuleID == "x.not-in-catalog" {
			seen = true
			if r.RuleIndex != nil || r.Message.Text != "x.not-in-catalog" {
				t.Errorf("unknown rule: ruleIndex %v, message %q", r.RuleIndex, r.Message.Text)
			}
		} else if r.RuleIndex == nil {
			t.Errorf("%s has no ruleIndex", r.RuleID)
		}
	}
	if !seen {
		t.Error("no result for the unknown rule")
	}
}

func indexOfRule(rules []*checks.Check, id string) int {
	for i, c := range rules {
		if c.ID == id {
			return i
		}
	}
	return -1
}
