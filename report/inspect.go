package report

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/storecheck/storecheck/checks"
	"github.com/storecheck/storecheck/crawler"
	"github.com/storecheck/storecheck/lang"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// topGroups is how many groups the inspection's "fix first" list names.
const topGroups = 10

// inspection is the report's first page, what a manager reads in a minute
// (抽检报告): the verdict, problems by the regime's areas and severities,
// the groups to fix first, and the rectifications under way.
type inspection struct {
	Pass   bool
	Errors int
	Areas  []areaRow
	// Top are the groups to fix first: the most severe, then those on the
	// shop's home page or a campaign page (every visitor of a campaign sees
	// them), then those on most pages.
	Top []groupView
	// Groups are every group, in report order (Groups).
	Groups []groupView
	// Owned are the groups someone was assigned, overdue first, then by
	// due date.
	Owned []groupView
}

// areaRow counts an area's groups by severity.
type areaRow struct {
	Area                 string
	Error, Warning, Info int
}

// groupView is one group as the report shows it.
type groupView struct {
	Rule, Severity, Area, Subject, Message, Advice string
	URLs                                           []string
	Viewports                                      string
	Home                                           bool // seen on the home page
	Campaign                                       bool // seen on a page of campaign.pages
	Owner, Due                                     string
	Overdue                                        bool
}

// Pages is how many pages the group was seen on.
func (g groupView) Pages() int { return len(g.URLs) }

// areaCounts counts groups per area and severity.
func areaCounts(groups []Group) []areaRow {
	rows := make([]areaRow, len(checks.Areas))
	for i, a := range checks.Areas {
		rows[i].Area = a
	}
	for _, g := range groups {
		i := slices.Index(checks.Areas, checks.AreaOf(g.Rule))
		switch g.Severity {
		case checks.SeverityError:
			rows[i].Error++
		case checks.SeverityWarning:
			rows[i].Warning++
		case checks.SeverityInfo:
			rows[i].Info++
		}
	}
	return rows
}

// newInspection builds the first page of run d; assigned are the target's
// assignments by fingerprint, overdue as of now.
func newInspection(d *storage.RunData, assigned map[string]storage.Assignment, now time.Time, tag lang.Tag) inspection {
	kind := map[string]crawler.Kind{}
	for _, p := range d.Pages {
		kind[p.URL] = p.Kind
	}
	campaign := campaignPages(d.Run)
	groups := Groups(d.Findings)
	in := inspection{Errors: d.Run.Findings.Error, Pass: d.Run.Findings.Error == 0, Areas: areaCounts(groups)}
	for _, g := range groups {
		v := groupView{
			Rule: g.Rule, Severity: string(g.Severity), Area: checks.AreaOf(g.Rule), Subject: g.Subject,
			Message: g.Findings[0].Message, Advice: checks.Advice(g.Rule, tag), URLs: g.URLs(),
			Viewports: strings.Join(g.Viewports(), ", "),
		}
		for _, u := range v.URLs {
			v.Home = v.Home || kind[u] == crawler.KindHome
			v.Campaign = v.Campaign || slices.ContainsFunc(campaign, func(re *regexp.Regexp) bool { return re.MatchString(u) })
		}
		for _, f := range g.Findings {
			if a, ok := assigned[f.Fingerprint]; ok {
				v.Owner, v.Due, v.Overdue = a.Owner, a.Due, track.Overdue(a.Due, now)
				break
			}
		}
		in.Groups = append(in.Groups, v)
		if v.Owner != "" {
			in.Owned = append(in.Owned, v)
		}
	}
	in.Top = slices.Clone(in.Groups)
	slices.SortStableFunc(in.Top, func(a, b groupView) int {
		return cmp.Or(
			cmp.Compare(checks.Severity(b.Severity).Rank(), checks.Severity(a.Severity).Rank()),
			track.TrueFirst(a.Home || a.Campaign, b.Home || b.Campaign),
			cmp.Compare(b.Pages(), a.Pages()),
		)
	})
	in.Top = in.Top[:min(len(in.Top), topGroups)]
	slices.SortStableFunc(in.Owned, func(a, b groupView) int {
		return cmp.Or(track.TrueFirst(a.Overdue, b.Overdue), cmp.Compare(a.Due, b.Due))
	})
	return in
}

// campaignPages are the campaign.pages regexes of the config run r was
// swept with; none when it had none (or they no longer compile).
func campaignPages(r storage.Run) []*regexp.Regexp {
	var stored struct {
		Campaign struct {
			Pages []string `json:"pages"`
		} `json:"campaign"`
	}
	if json.Unmarshal(r.ConfigJSON, &stored) != nil {
		return nil
	}
	var out []*regexp.Regexp
	for _, p := range stored.Campaign.Pages {
		if re, err := regexp.Compile(p); err == nil {
			out = append(out, re)
		}
	}
	return out
}
