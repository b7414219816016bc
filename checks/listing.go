package checks

// listingChecks: issue 8 rules, being written.
func listingChecks() []*Check { return nil }
