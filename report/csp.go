package report

import (
	"crypto/sha256"
	"encoding/base64"
)

// ScriptHash is the Content-Security-Policy source of the HTML report's one
// script ('sha256-…' of report.js, which the report inlines as is): a
// server that shows the report under a strict policy allows that script
// and no other.
func ScriptHash() (string, error) {
	js, err := htmlFiles.ReadFile("html/report.js")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(js)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'", nil
}
