package serve

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/storecheck/storecheck/storage"
	"github.com/storecheck/storecheck/track"
)

// board is the rectification board (整改跟踪) of one target: every finding
// followed across its complete runs (storecheck track), open ones first,
// with owner, due day, first sighting and how often it came back. A run
// that no longer has a finding closes it: the board is read from the runs,
// nothing on it is closed by hand.
func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := r.URL.Query().Get("target")
	if name == "" {
		runs, err := s.opts.Store.Runs(ctx)
		if err != nil {
			s.fail(w, err)
			return
		}
		for i := len(runs) - 1; i >= 0 && name == ""; i-- {
			if runs[i].Status == storage.StatusComplete {
				name = runs[i].Name
			}
		}
	}
	var lives []track.Life
	if name != "" {
		runs, err := s.opts.Store.CompleteRuns(ctx, name)
		if err != nil {
			s.fail(w, err)
			return
		}
		occ, err := s.opts.Store.Occurrences(ctx, name)
		if err != nil {
			s.fail(w, err)
			return
		}
		assigned, err := s.opts.Store.Assignments(ctx, name)
		if err != nil {
			s.fail(w, err)
			return
		}
		lives = track.Follow(runs, occ, assigned, s.now())
	}
	ro, _ := ctx.Value(roleKey{}).(role)
	s.render(w, http.StatusOK, "board", s.withSession(r, map[string]any{
		"Target": name, "Lives": lives, "CanAssign": ro == admin, "Today": s.now().Format(track.DueLayout),
	}))
}

// boardAssign takes the board's assign form: one finding's owner, due
// day and note, then back to the board.
func (s *Server) boardAssign(w http.ResponseWriter, r *http.Request) {
	name, fp := r.PostFormValue("target"), r.PostFormValue("fingerprint")
	owner, due := strings.TrimSpace(r.PostFormValue("owner")), r.PostFormValue("due")
	if _, err := time.Parse(track.DueLayout, due); err != nil || name == "" || fp == "" || owner == "" {
		http.Error(w, "want an owner and a due day (YYYY-MM-DD)", http.StatusBadRequest)
		return
	}
	a := storage.Assignment{Owner: owner, Due: due, Note: strings.TrimSpace(r.PostFormValue("note")), AssignedAt: s.now()}
	if err := s.opts.Store.Assign(r.Context(), name, []string{fp}, a); err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, "/board?target="+url.QueryEscape(name), http.StatusSeeOther)
}
