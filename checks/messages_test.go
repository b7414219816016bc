package checks

import (
	"strings"
	"testing"

	"github.com/storecheck/storecheck/lang"
)

// TestMessages holds the rules' catalog to the registry: every rule has
// advice and at least one message in every language, and every key of the
// catalog belongs to a rule (a message's key is the rule's ID, or the ID, a
// slash and a variant; advice is advice.<ID>).
func TestMessages(t *testing.T) {
	c := Messages() // panics on a file that does not load
	rules := map[string]bool{}
	for _, r := range Registry() {
		rules[r.ID] = true
	}
	hasMsg := map[string]bool{}
	for _, k := range c.Keys() {
		if rule, ok := strings.CutPrefix(k, "advice."); ok {
			if !rules[rule] {
				t.Errorf("advice for %s, which is no rule", rule)
			}
			continue
		}
		rule, _, _ := strings.Cut(k, "/")
		if !rules[rule] {
			t.Errorf("message %s belongs to no rule", k)
		}
		hasMsg[rule] = true
	}
	for rule := range rules {
		if !hasMsg[rule] {
			t.Errorf("%s has no message in the catalog", rule)
		}
		for _, tag := range lang.All {
			if a := Advice(rule, tag); a == "" || strings.HasPrefix(a, "advice.") {
				t.Errorf("%s has no advice in %s", rule, tag)
			}
		}
	}
}

// TestMsgArgs: arguments keep their kind through the store's encoding.
func TestMsgArgs(t *testing.T) {
	m := M("perf.heavy-page", "2.1 MB", 3, int64(4), 2.0, float32(0.5), uint32(7), []int{1})
	back, err := ParseMsg(m.Key, m.ArgsJSON())
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"2.1 MB", int64(3), int64(4), 2.0, 0.5, int64(7), "[1]"}
	if len(back.Args) != len(want) {
		t.Fatalf("args %#v, want %#v", back.Args, want)
	}
	for i := range want {
		if back.Args[i] != want[i] {
			t.Errorf("arg %d: %#v, want %#v", i, back.Args[i], want[i])
		}
	}
	for _, bad := range []string{`[{}]`, `[{"x": 1}]`, `{`} {
		if _, err := ParseMsg("k", bad); err == nil {
			t.Errorf("ParseMsg(%s): no error", bad)
		}
	}
}
