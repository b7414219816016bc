package checks

// fontChecks: issue 8 rules, being written.
func fontChecks() []*Check { return nil }
