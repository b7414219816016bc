package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// referenceConcurrency is the concurrency Reference shows. The real default
// is runtime.NumCPU(), which differs between machines; the block must not, so
// it shows this value and its comment says what the default is.
const referenceConcurrency = 2

// commentColumn is where Reference starts a key's comment, unless the key
// and its value are longer.
const commentColumn = 30

// keyDocs is the one-line comment Reference writes beside each config key,
// keyed by the key's dotted path. TestReferenceKeys holds it to Defaults: a
// key without a comment, or a comment for no key, fails it.
var keyDocs = map[string]string{
	"name":       "target name; default: host of the first start URL",
	"start_urls": "positional URLs on the command line replace these",

	"scope":                "what a sweep visits",
	"scope.max_pages":      "distinct URLs; each is visited in every viewport",
	"scope.max_depth":      "start URLs are depth 0; sitemap URLs depth 1",
	"scope.include":        "regexes on the URL path; empty = all",
	"scope.exclude":        "regexes on the URL path; exclude wins",
	"scope.max_rps":        "page navigations per second per host",
	"scope.robots":         "respect | ignore",
	"scope.block_external": "block every request to hosts outside the sweep",
	"scope.max_duration":   "0 = no cap; when reached no new page is visited",

	"viewports":    "desktop 1350x940 DPR 1; mobile 412x823 DPR 1.75, touch, Android Chrome UA",
	"concurrency":  "pages rendered at once; default: number of CPUs (2 shown)",
	"page_timeout": "a page over it keeps what loaded and reads \"timeout\"",
	"locale":       "Accept-Language and navigator.language",
	"lang":         "zh-CN or en: messages, tables, reports; \"\" = from LC_ALL / LC_MESSAGES / LANG; --lang overrides",
	"timezone":     "the browser's zone, and the zone for dates written without one",
	"user_agent":   "default: the browser's own UA without \"Headless\", plus \" storecheck/VERSION\"",
	"headers":      "sent with every request (page, sitemap, robots, link checks)",
	"cookies":      "[{name, value, domain, path}], set in every browser context",

	"basic_auth":          "answers HTTP basic-auth challenges",
	"basic_auth.user":     "\"\" = no basic auth",
	"basic_auth.password": "stored with the run as REDACTED",

	"tls_insecure": "accept invalid certificates (staging, tests)",

	"brand":                     "the logo rules; no logo = no logo rules",
	"brand.name":                "the brand's name, exempt from text.banned-term",
	"brand.names":               "other spellings of the brand (plain names)",
	"brand.logo":                "the reference logo image (PNG, JPEG, GIF, WebP); \"\" = no logo rules",
	"brand.protected_logos":     "image files of other brands' marks (logo.foreign)",
	"brand.logo_optional":       "regexes on the URL path of pages that need no logo",
	"brand.logo_match_max":      "shape distance (0–256) up to which a picture is the logo / a mark",
	"brand.logo_distort_pct":    "logo.distorted: aspect off by more than this %",
	"brand.logo_colour_delta_e": "logo.altered: mean colour off by more than this ΔE (CIE76)",
	"brand.logo_parts_min":      "logo.altered: shape distance from which parts count as changed",
	"brand.logo_parts_local":    "logo.altered: edge difference (%) of one region from which parts changed",
	"brand.logo_parts_colour":   "logo.altered: colour difference (ΔE) of one region from which parts changed",
	"brand.logo_min_sharpness":  "logo.low-quality: edges less steep than this × the reference's",
	"brand.logo_upscale_max":    "logo.low-quality: <img> drawn at more than this × its file's pixels",

	"campaign":       "the promotion-window rules; no start and end = no promo.window-mismatch",
	"campaign.name":  "the campaign's name as the pages write it (双11好茶节)",
	"campaign.start": "RFC 3339, or 2006-01-02 15:04 / 2006-01-02 in timezone",
	"campaign.end":   "same forms; a bare date means the end of that day",
	"campaign.pages": "regexes on the URL or its path of campaign pages",

	"promo":                  "the promotion rules",
	"promo.stale_after_days": "promo.stale-campaign: days after a festival's last day its creative may stay; 0–183",

	"ocr":                "text inside pictures, read with tesseract (chi_sim + eng)",
	"ocr.enabled":        "false = pictures are not read",
	"ocr.tesseract":      "the tesseract program; \"\" = found on PATH",
	"ocr.languages":      "tesseract's -l: trained languages joined by +",
	"ocr.min_px":         "CSS px: pictures with a shorter rendered side are not read",
	"ocr.max_per_page":   "pictures read per visit, in document order; the rest are counted as skipped",
	"ocr.min_confidence": "words read under this confidence (0–100) are never judged",

	"product_pages": "regexes that force a page's kind to product",

	"budgets":                     "the perf rules' thresholds",
	"budgets.load_ms":             "load event, ms",
	"budgets.lcp_ms":              "largest contentful paint, ms",
	"budgets.fcp_ms":              "first contentful paint, ms",
	"budgets.cls":                 "cumulative layout shift (unitless)",
	"budgets.tbt_ms":              "total blocking time, ms",
	"budgets.page_bytes":          "bytes transferred per page",
	"budgets.confirm_runs":        "loads more, alone, for a visit over a timing budget; reported on the median",
	"budgets.min_benchmark_index": "hosts scoring under this CPU index are named as slow (an idle CI core: ~1000)",

	"banned_terms":       "text.banned-term's list",
	"banned_terms.extra": "more terms to ban",
	"banned_terms.allow": "words exempt (product names, marks)",

	"pii":       "security.pii-exposed",
	"pii.allow": "numbers that may appear (the shop's own hotline), any spacing or dashes",

	"layout":               "the layout rules",
	"layout.nav_max_items": "layout.nav-overloaded: most top-level nav items",
	"layout.above_fold":    "CSS selectors that must be in the first viewport (layout.promo-below-fold)",

	"images":                       "the image rules",
	"images.min_size":              "CSS px: smaller pictures (icons, sprites) are not judged blurry or missing alt",
	"images.max_megapixels":        "bigger pictures are never decoded (image.too-large)",
	"images.blur_threshold":        "image.blurry: estimated blur radius (px at 800 px) from which blurred",
	"images.low_res_ratio":         "image.low-resolution: decoded px below this × drawn device px",
	"images.low_res_small_ratio":   "… for pictures drawn 64 CSS px or less",
	"images.distort_min_px":        "image.distorted: off by at least this many CSS px on an axis …",
	"images.distort_min_pct":       "… and this % of the aspect ratio",
	"images.oversized_area_ratio":  "image.oversized-file: decoded area over this × drawn device area …",
	"images.oversized_min_bytes":   "… and a file over this many bytes",
	"images.oversized_max_bytes":   "any image file over this many bytes",
	"images.gallery_min":           "product.few-images: distinct gallery pictures a product needs",
	"images.duplicate_distance":    "pictures within this pHash distance (of 64 bits) are one",
	"images.duplicate_colour_diff": "… or whose 16×16 colour thumbnails differ by at most this (levels)",

	"retention":           "applied to the swept target after every sweep; see storecheck prune",
	"retention.keep_runs": "keep the newest N runs per target; 0 = all",
	"retention.keep_days": "keep runs started in the last N days; 0 = all",

	"db":              "SQLite file, relative to the config file's folder when one is loaded; or a postgres:// URL",
	"remote_browsers": "DevTools URLs of running browsers or go-rod launcher managers (same as --remote-browser)",
}

// Reference renders every config key with its default value, as a YAML
// document that loads back as Defaults (concurrency excepted, see
// referenceConcurrency): one line per key, in the order of the Config
// struct, with its comment from keyDocs. A key without a comment is written
// without one. docs/config.md holds its output.
func Reference() string {
	var b strings.Builder
	root := defaultsNode()
	walkKeys(root, "", 0, func(path, key string, depth int, v *yaml.Node) {
		line := strings.Repeat("  ", depth) + key + ":"
		if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
			line += " " + inline(v)
		}
		if doc, ok := keyDocs[path]; ok {
			line = fmt.Sprintf("%-*s # %s", commentColumn, line, doc)
		}
		b.WriteString(line + "\n")
	})
	return b.String()
}

// referenceKeys lists the dotted path of every key Reference writes.
func referenceKeys() []string {
	var keys []string
	walkKeys(defaultsNode(), "", 0, func(path, _ string, _ int, _ *yaml.Node) {
		keys = append(keys, path)
	})
	return keys
}

// defaultsNode is Defaults as a YAML mapping node, concurrency replaced by
// referenceConcurrency. It panics if Defaults does not encode, which no
// value of Config can cause.
func defaultsNode() *yaml.Node {
	d := Defaults()
	d.Concurrency = referenceConcurrency
	var n yaml.Node
	if err := n.Encode(d); err != nil {
		panic("config: encode Defaults: " + err.Error())
	}
	return &n
}

// walkKeys calls f for every key of the mapping n (at nesting depth, its
// keys' paths under prefix), depth first in document order, with the key's
// dotted path, its name, its depth and its value node.
func walkKeys(n *yaml.Node, prefix string, depth int, f func(path, key string, depth int, v *yaml.Node)) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := k.Value
		if prefix != "" {
			path = prefix + "." + k.Value
		}
		f(path, k.Value, depth, v)
		if v.Kind == yaml.MappingNode {
			walkKeys(v, path, depth+1, f)
		}
	}
}

// inline is the YAML of a scalar, sequence or empty mapping on one line:
// sequences and mappings in flow style, strings quoted only where YAML needs it.
func inline(v *yaml.Node) string {
	c := *v
	if c.Kind == yaml.SequenceNode || c.Kind == yaml.MappingNode {
		c.Style = yaml.FlowStyle
	}
	out, err := yaml.Marshal(&c)
	if err != nil {
		panic("config: encode default: " + err.Error())
	}
	return strings.TrimSuffix(string(out), "\n")
}
