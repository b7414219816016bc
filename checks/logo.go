package checks

import (
	"math"
	"net/url"
	"strings"

	"github.com/storecheck/storecheck/checks/pagemodel"
	"github.com/storecheck/storecheck/crawler"
)

// logoChecks judge the brand's logo on every page from what the browser drew:
// each logo candidate (an <img>, CSS background or inline <svg> in the
// header, or named logo/brand) is screenshotted by the crawler, trimmed of its
// background and compared with brand.logo by checks/logomatch. logo.foreign
// compares every picture of the page with brand.protected_logos.
func logoChecks() []*Check {
	hasLogo := func(env *Env) bool { return env != nil && env.Brand != nil && env.Brand.Logo != nil }
	return []*Check{
		{
			ID:             "logo.missing",
			Doc:            "the brand logo is on no logo candidate of the page",
			Severity:       SeverityWarning,
			SeverityDoc:    "home / else",
			Subject:        `""`,
			Enabled:        hasLogo,
			Run:            runLogoMissing,
			Pictures:       logoNeeds,
			LogoCandidates: true,
		},
		{
			ID:             "logo.distorted",
			Doc:            "found, but its aspect differs from the reference by > 5 %",
			Severity:       SeverityError,
			Subject:        "logo image URL or selector",
			Enabled:        hasLogo,
			Run:            runLogoDistorted,
			Pictures:       logoNeeds,
			LogoCandidates: true,
		},
		{
			ID:             "logo.low-quality",
			Doc:            "found, but blurred or upscaled",
			Severity:       SeverityWarning,
			Subject:        "logo image URL or selector",
			Enabled:        hasLogo,
			Run:            runLogoLowQuality,
			Pictures:       logoNeeds,
			LogoCandidates: true,
		},
		{
			ID:             "logo.altered",
			Doc:            "shape matches the reference, colours or parts changed",
			Severity:       SeverityError,
			Subject:        "logo image URL or selector",
			Enabled:        hasLogo,
			Run:            runLogoAltered,
			Pictures:       logoNeeds,
			LogoCandidates: true,
		},
		{
			ID:             "logo.foreign",
			Doc:            "any image matches a `brand.protected_logos` mark",
			Severity:       SeverityError,
			Subject:        "image URL",
			Enabled:        func(env *Env) bool { return env != nil && env.Brand != nil && len(env.Brand.Protected) > 0 },
			Run:            runLogoForeign,
			Pictures:       foreignNeeds,
			LogoCandidates: true,
		},
	}
}

// logoNeeds asks, of every logo candidate, the comparison with the brand's
// logo and its sharpness.
func logoNeeds(env *Env, m *pagemodel.Model) []PictureNeed {
	if env.Brand == nil || env.Brand.Logo == nil {
		return nil
	}
	return candidateNeeds(m, needLogo)
}

// foreignNeeds asks, of every logo candidate and every picture that may
// carry a mark, the comparison with every protected mark.
func foreignNeeds(env *Env, m *pagemodel.Model) []PictureNeed {
	if env.Brand == nil || len(env.Brand.Protected) == 0 {
		return nil
	}
	out := pictureNeeds(m, needForeign, func(im *crawler.Image, u string) bool { return foreignEligible(env, im, u) })
	return append(out, candidateNeeds(m, needForeign)...)
}

// seenLogo is one candidate compared with the brand's logo.
type seenLogo struct {
	c       *crawler.LogoCandidate
	m       *measures
	subject string
}

// candidateSubject is a candidate's image URL, or its selector for inline
// SVG (and images without a network URL).
func candidateSubject(c *crawler.LogoCandidate) string {
	if isHTTP(c.Src) {
		return c.Src
	}
	return c.Selector
}

// logoCandidates measures every captured candidate of the page against the
// brand's logo (cached by screenshot bytes: the header logo is measured once
// per viewport for the whole sweep). shots is how many had a screenshot.
func logoCandidates(p *Pass) (seen []seenLogo, shots int) {
	if p.Env == nil || p.Env.Brand == nil || p.Env.Brand.Logo == nil {
		return nil, 0
	}
	for i := range p.Page.LogoCandidates {
		c := &p.Page.LogoCandidates[i]
		if len(c.Shot) == 0 {
			continue
		}
		shots++
		m := p.Env.measure(c.Shot, needLogo, p.Env.Images.MaxMegapixels)
		if m.err != nil {
			continue
		}
		seen = append(seen, seenLogo{c: c, m: m, subject: candidateSubject(c)})
	}
	return seen, shots
}

// foundLogos are the candidates that show the brand's logo, one per subject.
func foundLogos(p *Pass) []seenLogo {
	seen, _ := logoCandidates(p)
	var out []seenLogo
	done := map[string]bool{}
	for _, s := range seen {
		if s.m.logo.Found && !done[s.subject] {
			done[s.subject] = true
			out = append(out, s)
		}
	}
	return out
}

// logoOptional reports whether the page's URL path (with query) matches
// brand.logo_optional.
func logoOptional(env *Env, pageURL string) bool {
	path := pageURL
	if u, err := url.Parse(pageURL); err == nil {
		path = u.EscapedPath()
		if path == "" {
			path = "/"
		}
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
	}
	for _, re := range env.Brand.Optional {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// runLogoMissing reports a page none of whose logo candidates shows the
// brand's logo: an error on the home page, a warning elsewhere. Pages that
// answered ≥ 400, pages matching brand.logo_optional, and pages whose
// candidates could not be screenshotted are not judged.
func runLogoMissing(p *Pass) {
	if p.Env == nil || p.Env.Brand == nil || p.Env.Brand.Logo == nil || !judgedForLogo(p.Page) || logoOptional(p.Env, p.Page.URL) {
		return
	}
	seen, shots := logoCandidates(p)
	if shots == 0 && len(p.Page.LogoCandidates) > 0 {
		return // there were candidates, but nothing to judge them by
	}
	best := -1
	for i, s := range seen {
		if s.m.logo.Found {
			return
		}
		if best < 0 || s.m.logo.ShapeDistance < seen[best].m.logo.ShapeDistance {
			best = i
		}
	}
	sev := SeverityWarning
	if p.Page.Kind == crawler.KindHome {
		sev = SeverityError
	}
	ev := map[string]any{"candidates": len(p.Page.LogoCandidates), "match_max": p.Env.Logo.Thresholds.FoundMax}
	msg := M("logo.missing/no-candidates")
	if n := len(p.Page.LogoCandidates); n > 0 {
		msg = M("logo.missing", n)
	}
	if best >= 0 {
		s := seen[best]
		ev["closest"] = map[string]any{"subject": s.subject, "selector": s.c.Selector,
			"shape_distance": s.m.logo.ShapeDistance, "box": boxEvidence(s.c.Box)}
		msg = M("logo.missing/closest", len(p.Page.LogoCandidates), s.c.Selector, s.m.logo.ShapeDistance, p.Env.Logo.Thresholds.FoundMax)
	}
	p.Report(sev, "", msg, ev)
}

// logoImages are the pictures of a finding about a found logo: the
// candidate as the browser drew it beside the brand's reference.
func logoImages(p *Pass, s seenLogo) []EvidenceImage {
	return images(p.drawnImage(s.c), p.referenceImage(p.Env.Brand.Logo))
}

// logoEvidence is what every finding about a found logo carries.
func logoEvidence(s seenLogo) map[string]any {
	return map[string]any{"selector": s.c.Selector, "kind": s.c.Kind, "box": boxEvidence(s.c.Box),
		"shape_distance": s.m.logo.ShapeDistance}
}

// runLogoDistorted reports a found logo drawn at another aspect ratio than
// the reference's, measured on the trimmed screenshot, so a stretched <img>,
// CSS background or SVG all count.
func runLogoDistorted(p *Pass) {
	for _, s := range foundLogos(p) {
		m := s.m.logo
		if !m.Distorted {
			continue
		}
		ev := logoEvidence(s)
		ev["reference_ratio"], ev["rendered_ratio"] = round2(m.AspectRef), round2(m.AspectCandidate)
		ev["distortion_pct"], ev["max_pct"] = round2(m.AspectDiffPct), p.Env.Logo.Thresholds.DistortedPct
		p.ReportWith("", s.subject, M("logo.distorted", fixedArg(m.AspectCandidate, 2), fixedArg(m.AspectRef, 2), fixedArg(m.AspectDiffPct, 0)),
			ev, logoImages(p, s))
	}
}

// runLogoAltered reports a found logo whose colours differ from the
// reference (recoloured or inverted) or whose parts changed.
func runLogoAltered(p *Pass) {
	for _, s := range foundLogos(p) {
		m := s.m.logo
		// what names the changes in the evidence; variants picks the
		// message, one per combination, that says them all in one sentence.
		var what, variants []string
		switch {
		case m.Inverted:
			what, variants = append(what, "inverted"), append(variants, "inverted")
		case m.Recoloured:
			what, variants = append(what, "recoloured"), append(variants, "recoloured")
		}
		if m.PartsChanged {
			what, variants = append(what, "parts changed"), append(variants, "parts")
		}
		if len(what) == 0 {
			continue
		}
		ev := logoEvidence(s)
		ev["changes"] = what
		ev["colour_delta_e"] = round2(m.ColourDistance)
		ev["colour_max_delta_e"] = p.Env.Logo.Thresholds.RecolouredDeltaE
		for _, k := range []string{"local_edge_diff", "local_colour_diff", "colour_inverted_distance"} {
			if v, ok := m.Evidence[k]; ok {
				ev[k] = v
			}
		}
		p.ReportWith("", s.subject, M("logo.altered/"+strings.Join(variants, "+"), fixedArg(m.ColourDistance, 0), m.ShapeDistance), ev, logoImages(p, s))
	}
}

// runLogoLowQuality reports a found logo that is upscaled (a raster <img>
// drawn at more device pixels than its file has, by over
// brand.logo_upscale_max) or blurred (its edges less steep than the
// reference's drawn at the same size, under brand.logo_min_sharpness).
func runLogoLowQuality(p *Pass) {
	lim := p.Env.Logo
	scale := dpr(p.Page)
	for _, s := range foundLogos(p) {
		ev := logoEvidence(s)
		// One message per combination of the faults, with the arguments of
		// each in this order.
		var why []string
		var args []any
		if up, natural, ok := logoUpscale(p, s.c, scale); ok && up > lim.UpscaleMax {
			why = append(why, "upscaled")
			args = append(args, fixedArg(up, 1), pixelsArg(natural.X, natural.Y), pxArg(s.c.Box.W*scale, s.c.Box.H*scale))
			ev["upscale"], ev["natural"] = round2(up), size(float64(natural.X), float64(natural.Y))
			ev["rendered"], ev["dpr"] = size(s.c.Box.W, s.c.Box.H), scale
		}
		if sharp := s.m.logoSharp; sharp > 0 && sharp < lim.MinSharpness {
			why = append(why, "blurred")
			args = append(args, fixedArg(sharp*100, 0))
			ev["sharpness"], ev["min_sharpness"] = round2(sharp), lim.MinSharpness
		}
		if len(why) == 0 {
			continue
		}
		p.ReportWith("", s.subject, M("logo.low-quality/"+strings.Join(why, "+"), args...), ev, logoImages(p, s))
	}
}

// logoUpscale is how far a raster <img> logo is drawn beyond its file's
// pixels: rendered device px ÷ decoded px on the worse axis. ok is false for
// backgrounds and SVG (their drawn size is not the box) and when the file's
// size is unknown.
func logoUpscale(p *Pass, c *crawler.LogoCandidate, scale float64) (up float64, natural struct{ X, Y int }, ok bool) {
	if c.Kind != "img" || c.Box.W <= 0 || c.Box.H <= 0 {
		return 0, natural, false
	}
	for i := range p.Page.Images {
		im := &p.Page.Images[i]
		if im.Background || pagemodel.ImageURL(im) != c.Src || im.IsSVG(c.Src) {
			continue
		}
		if d, dok := decodeHeader(im); dok {
			natural.X, natural.Y = d.W, d.H
		}
		break
	}
	if natural.X == 0 && c.NaturalWidth > 0 && c.NaturalHeight > 0 && !strings.HasSuffix(strings.ToLower(c.Src), ".svg") {
		natural.X, natural.Y = c.NaturalWidth, c.NaturalHeight
	}
	if natural.X == 0 || natural.Y == 0 {
		return 0, natural, false
	}
	up = math.Max(c.Box.W*scale/float64(natural.X), c.Box.H*scale/float64(natural.Y))
	return up, natural, true
}

// runLogoForeign reports every picture of the page that shows one of
// brand.protected_logos: visible images anywhere on the page, judged by
// their bytes, and logo candidates (CSS backgrounds, inline SVG) by their
// screenshots. Each picture is judged alone.
func runLogoForeign(p *Pass) {
	if p.Env == nil || p.Env.Brand == nil || len(p.Env.Brand.Protected) == 0 {
		return
	}
	maxMP := p.Env.Images.MaxMegapixels
	done := map[string]bool{}
	// picture is the thumbnail of what was judged: made only once a mark
	// matched.
	report := func(subject, selector string, box crawler.Box, m *measures, picture func() EvidenceImage) {
		for i, fm := range m.foreign {
			if !fm.Found || done[subject] {
				continue
			}
			done[subject] = true
			pm := p.Env.Brand.Protected[i]
			p.ReportWith("", subject, M("logo.foreign", baseName(pm.Path)),
				map[string]any{"mark": baseName(pm.Path), "shape_distance": fm.ShapeDistance,
					"match_max": p.Env.Logo.Thresholds.FoundMax, "selector": selector, "box": boxEvidence(box)},
				images(picture(), p.referenceImage(pm.Ref)))
		}
	}
	eachImage(p, func(im *crawler.Image, u string) bool {
		if !foreignEligible(p.Env, im, u) {
			return false
		}
		m := p.Env.measure(im.Bytes, needForeign, maxMP)
		report(u, im.Selector, im.Box, m, func() EvidenceImage { return p.flaggedImage(im) })
		return done[u]
	})
	for i := range p.Page.LogoCandidates {
		c := &p.Page.LogoCandidates[i]
		subject := candidateSubject(c)
		if len(c.Shot) == 0 || done[subject] {
			continue
		}
		// A candidate is judged by its screenshot, so that is what it shows.
		report(subject, c.Selector, c.Box, p.Env.measure(c.Shot, needForeign, maxMP),
			func() EvidenceImage { return p.drawnImage(c) })
	}
}

// foreignEligible: a visible raster picture drawn at least 12 CSS px, whose
// bytes Go can decode and that is within images.max_megapixels.
func foreignEligible(env *Env, im *crawler.Image, u string) bool {
	if !im.Visible || im.Box.W < 12 || im.Box.H < 12 || im.IsSVG(u) {
		return false
	}
	d, ok := decodeHeader(im)
	return ok && !tooLarge(env, d)
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
