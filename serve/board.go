package serve

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/storecheck/storecheck/report"
	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// boardSummary counts the board's groups for its headline.
type boardSummary struct {
	Open, Overdue, Unassigned, Pending, Failed, Resolved int
}

// newestTarget is the target of the newest complete run ("" when none):
// the target a page shows when none is asked for.
func (s *Server) newestTarget(ctx context.Context) (string, error) {
	runs, err := s.opts.Store.Runs(ctx)
	if err != nil {
		return "", err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Status == storage.StatusComplete {
			return runs[i].Name, nil
		}
	}
	return "", nil
}

// lives follows every finding of target name across its complete runs
// (storecheck track), with assignments and fix marks. An empty name is the
// target of the newest complete run.
func (s *Server) lives(r *http.Request, name string) (string, []track.Life, error) {
	ctx := r.Context()
	if name == "" {
		var err error
		if name, err = s.newestTarget(ctx); err != nil || name == "" {
			return "", nil, err
		}
	}
	lives, err := track.Load(ctx, s.opts.Store, name, s.now())
	if err != nil {
		return "", nil, err
	}
	for i := range lives { // in the dashboard's language, as the CLI's
		if f := &lives[i].Finding; f.Msg.Key != "" {
			f.Message = f.Msg.Render(s.opts.Lang)
		}
	}
	return name, lives, nil
}

// board is the rectification board (整改跟踪) of one target, grouped as
// the inspection sheet groups findings: one row per rule and subject, on
// however many pages. Open groups come first; QC staff assign a group,
// operations mark it fixed, and the runs re-check it: the next run without
// it confirms the fix, a run with it fails the re-check. Nothing on the
// board is closed by hand. Resolved groups show when the newest run
// resolved them, or all with ?all=1.
func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	name, lives, err := s.lives(r, r.URL.Query().Get("target"))
	if err != nil {
		s.fail(w, err)
		return
	}
	all := r.URL.Query().Get("all") == "1"
	var newest int64
	for _, l := range lives {
		newest = max(newest, l.LastSeen.RunID)
		if l.ResolvedIn != nil {
			newest = max(newest, l.ResolvedIn.RunID)
		}
	}
	var sum boardSummary
	var shown []track.Group
	hidden := 0
	for _, g := range track.Groups(lives) {
		switch {
		case g.Open:
			sum.Open++
			if g.Overdue {
				sum.Overdue++
			}
			if g.Assignment() == nil {
				sum.Unassigned++
			}
			switch g.Recheck {
			case track.RecheckPending:
				sum.Pending++
			case track.RecheckFailed:
				sum.Failed++
			}
		default:
			sum.Resolved++
			if !all && g.ResolvedIn.RunID != newest {
				hidden++
				continue
			}
		}
		shown = append(shown, g)
	}
	ro, _ := r.Context().Value(roleKey{}).(role)
	s.render(w, http.StatusOK, "board", s.withSession(r, map[string]any{
		"Target": name, "Groups": shown, "Summary": sum, "Hidden": hidden, "All": all,
		"CanAssign": ro == admin, "Today": s.now().Format(track.DueLayout),
	}))
}

// boardAssign takes the board's forms: a group's owner, due day and note
// (assign), or its fix mark with a note (fixed); then back to the board.
// fingerprint holds the group's open fingerprints, space-separated.
func (s *Server) boardAssign(w http.ResponseWriter, r *http.Request) {
	name, fps := r.PostFormValue("target"), strings.Fields(r.PostFormValue("fingerprint"))
	note := strings.TrimSpace(r.PostFormValue("note"))
	if name == "" || len(fps) == 0 {
		http.Error(w, "want a target and fingerprints", http.StatusBadRequest)
		return
	}
	var err error
	if r.PostFormValue("fixed") != "" {
		err = s.opts.Store.MarkFixed(r.Context(), name, fps, storage.FixMark{At: s.now(), Note: note})
	} else {
		owner, due := strings.TrimSpace(r.PostFormValue("owner")), r.PostFormValue("due")
		if _, perr := time.Parse(track.DueLayout, due); perr != nil || owner == "" {
			http.Error(w, "want an owner and a due day (YYYY-MM-DD)", http.StatusBadRequest)
			return
		}
		err = s.opts.Store.Assign(r.Context(), name, fps, storage.Assignment{Owner: owner, Due: due, Note: note, AssignedAt: s.now()})
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, "/board?target="+url.QueryEscape(name), http.StatusSeeOther)
}

// apiTrack is storecheck track --format json's output for ?target= (the
// newest complete run's target without it).
func (s *Server) apiTrack(w http.ResponseWriter, r *http.Request) {
	name, lives, err := s.lives(r, r.URL.Query().Get("target"))
	if err != nil {
		s.fail(w, err)
		return
	}
	if name == "" {
		writeJSONError(w, http.StatusNotFound, "no complete run stored")
		return
	}
	var buf strings.Builder
	if err := report.TrackJSON(&buf, name, s.now().Format(time.RFC3339), lives); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(buf.String()))
}
