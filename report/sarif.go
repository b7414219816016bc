package report

import (
	"cmp"
	"io"
	"slices"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/diff"
	"github.com/storecheck/storecheck/storage"
)

// The SARIF log is written with these small structs rather than go-sarif's:
// its v2.1.0 structs marshal zero values that carry meaning (every
// artifactLocation "index": 0 points at an artifact that does not exist,
// defaultConfiguration "enabled": false turns every rule off, "rank": 0,
// "language": "" fails the schema) and a dozen empty arrays per result.
// Tests read the output back with go-sarif and check it against the schema.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// SARIFFingerprintKey names the finding's fingerprint among a result's
	// partialFingerprints.
	SARIFFingerprintKey = "storecheck/v1"
	toolURI             = "https://github.com/storecheck/storecheck"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  any               `json:"properties"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifText       `json:"shortDescription"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

// sarifRuleProps is the catalog's subject and severity column ("home /
// else" where the severity depends on the page).
type sarifRuleProps struct {
	Subject  string `json:"subject"`
	Severity string `json:"severity"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	StartTimeUTC        string `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"` // nil: the rule is not in the catalog
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

// sarifResultProps carries what SARIF has no place for. Evidence keeps
// evidence.box as it is: SARIF regions address text, not pixels.
type sarifResultProps struct {
	Viewport         string         `json:"viewport"`
	Subject          string         `json:"subject"`
	Evidence         map[string]any `json:"evidence"`
	Reopened         bool           `json:"reopened,omitempty"`          // diff: new, but an earlier run had it
	PreviousSeverity string         `json:"previous_severity,omitempty"` // diff: updated
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

// RunSARIF writes d as a SARIF 2.1.0 log of one run: tool.driver lists
// rules (pass checks.Registry(), the whole catalog) and version, the
// storecheck version; one result per finding, its location the page URL,
// its fingerprint under partialFingerprints "storecheck/v1". The run's
// object of the JSON shapes is run.properties.run.
func RunSARIF(w io.Writer, d *storage.RunData, rules []*checks.Check, version string) error {
	run := newSARIFRun(d.Run, rules, version)
	for _, f := range d.Findings {
		run.Results = append(run.Results, run.result(f, ""))
	}
	run.Properties = struct {
		Run JSONRun `json:"run"`
	}{NewJSONRun(d.Run)}
	return encode(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run.sarifRun}})
}

// DiffSARIF writes r as a SARIF 2.1.0 log of HEAD's findings, each with its
// baselineState against BASE: new, unchanged (persisting) or updated
// (severity changed, previous_severity in its properties); the resolved
// findings of BASE follow as absent. Results are sorted by url, viewport,
// rule, subject. run.properties holds the base and head run objects.
func DiffSARIF(w io.Writer, r *diff.Result, rules []*checks.Check, version string) error {
	run := newSARIFRun(r.Head, rules, version)
	type entry struct {
		f checks.Finding
		r sarifResult
	}
	var all []entry
	add := func(f checks.Finding, state string) *sarifResult {
		all = append(all, entry{f, run.result(f, state)})
		return &all[len(all)-1].r
	}
	for _, f := range r.New {
		add(f.Finding, "new").Properties.Reopened = f.Reopened
	}
	for _, f := range r.Persisting {
		add(f, "unchanged")
	}
	for _, c := range r.Changed {
		add(c.After, "updated").Properties.PreviousSeverity = string(c.Before.Severity)
	}
	for _, f := range r.Resolved {
		add(f, "absent")
	}
	slices.SortStableFunc(all, func(a, b entry) int {
		return cmp.Or(
			cmp.Compare(a.f.URL, b.f.URL),
			cmp.Compare(a.f.Viewport, b.f.Viewport),
			cmp.Compare(a.f.Rule, b.f.Rule),
			cmp.Compare(a.f.Subject, b.f.Subject),
			cmp.Compare(a.f.Fingerprint, b.f.Fingerprint),
		)
	})
	for _, e := range all {
		run.Results = append(run.Results, e.r)
	}
	run.Properties = struct {
		Base JSONRun `json:"base"`
		Head JSONRun `json:"head"`
	}{NewJSONRun(r.Base), NewJSONRun(r.Head)}
	return encode(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run.sarifRun}})
}

// sarifRunBuilder is a run being filled, with the catalog's index by ID.
type sarifRunBuilder struct {
	sarifRun
	index map[string]int
}

func newSARIFRun(r storage.Run, rules []*checks.Check, version string) *sarifRunBuilder {
	b := &sarifRunBuilder{index: map[string]int{}}
	b.Tool.Driver = sarifDriver{Name: "storecheck", Version: version, InformationURI: toolURI, Rules: []sarifRule{}}
	for i, c := range rules {
		b.index[c.ID] = i
		b.Tool.Driver.Rules = append(b.Tool.Driver.Rules, sarifRule{
			ID:                   c.ID,
			ShortDescription:     sarifText{cmp.Or(c.Doc, c.ID)},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(c.Severity)},
			Properties:           sarifRuleProps{Subject: c.Subject, Severity: c.SeverityLabel()},
		})
	}
	inv := sarifInvocation{ExecutionSuccessful: r.Status == storage.StatusComplete}
	if !r.StartedAt.IsZero() {
		inv.StartTimeUTC = r.StartedAt.UTC().Format(time.RFC3339)
	}
	if !r.FinishedAt.IsZero() {
		inv.EndTimeUTC = r.FinishedAt.UTC().Format(time.RFC3339)
	}
	b.Invocations = []sarifInvocation{inv}
	b.Results = []sarifResult{}
	return b
}

// result is f as a SARIF result; state is its baselineState, "" outside a
// diff.
func (b *sarifRunBuilder) result(f checks.Finding, state string) sarifResult {
	res := sarifResult{
		RuleID:              f.Rule,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{cmp.Or(f.Message, f.Rule)}, // SARIF requires text
		Locations:           []sarifLocation{{sarifPhysical{sarifArtifact{f.URL}}}},
		PartialFingerprints: map[string]string{SARIFFingerprintKey: f.Fingerprint},
		BaselineState:       state,
		Properties:          sarifResultProps{Viewport: f.Viewport, Subject: f.Subject, Evidence: f.Evidence},
	}
	if i, ok := b.index[f.Rule]; ok {
		res.RuleIndex = &i
	}
	if res.Properties.Evidence == nil {
		res.Properties.Evidence = map[string]any{}
	}
	return res
}

// sarifLevel maps a severity to a SARIF level: error and warning as they
// are, info (and anything unknown) to note.
func sarifLevel(s checks.Severity) string {
	switch s {
	case checks.SeverityError:
		return "error"
	case checks.SeverityWarning:
		return "warning"
	}
	return "note"
}
