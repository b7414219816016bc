package serve

import (
	"fmt"

	"github.com/storecheck/storecheck/lang"
)

// pageTemplates are the dashboard's own pages (a run's page is the HTML
// report). html/template escapes every value by its context: a target or
// page named <script> shows as text.
const pageTemplates = `
{{define "head"}}<!doctype html><html lang="{{t "lang"}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.}} · storecheck</title>
<style>body{font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}.error{color:#b00}.warning{color:#a60}
nav{margin-bottom:1em}nav form{display:inline}td.state{white-space:nowrap}
.recheck{display:inline-block;font-size:12px;padding:0 5px;border-radius:3px;background:#e8eefc;color:#1d3b8b}
.recheck.failed{background:#fde2e2;color:#b00}.recheck.confirmed{background:#e1f3e3;color:#1b5e20}
details.act form{margin:.3em 0;white-space:nowrap}details.act summary{cursor:pointer;color:#1d3b8b}</style></head><body>{{end}}

{{define "nav"}}<nav><a href="/">{{t "targets"}}</a> · <a href="/runs">{{t "runs"}}</a> · <a href="/board">{{t "board"}}</a> · <a href="/trends">{{t "trends"}}</a>
{{if and .Auth .CSRF}} · <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{.CSRF}}"><button>{{t "logout"}}</button></form>{{end}}</nav>{{end}}

{{define "login"}}{{template "head" (t "login")}}
<h1>storecheck</h1>{{with .Problem}}<p class="error">{{.}}</p>{{end}}
<form method="post" action="/login"><input type="hidden" name="csrf" value="{{.CSRF}}">
<label>{{t "token"}} <input type="password" name="token" autocomplete="current-password" autofocus></label>
<button>{{t "login"}}</button></form></body></html>{{end}}

{{define "targets"}}{{template "head" (t "targets")}}{{template "nav" .}}
<h1>{{t "targets"}}</h1>
<table><tr><th>{{t "target"}}</th><th>{{t "latest"}}</th><th>{{t "status"}}</th><th>{{t "pages"}}</th>
<th class="error">E</th><th class="warning">W</th><th>I</th><th>{{t "runs"}}</th></tr>
{{range .Targets}}<tr><td><a href="/runs?target={{.Name}}">{{.Name}}</a> (<a href="/board?target={{.Name}}">{{t "board"}}</a> · <a href="/trends?target={{.Name}}">{{t "trends"}}</a>)</td>
<td><a href="/runs/{{.Latest.ID}}">#{{.Latest.ID}} {{.Latest.StartedAt.Format "2006-01-02 15:04"}}</a></td>
<td>{{.Latest.Status}}</td><td>{{.Latest.Pages}}</td><td class="error">{{.Latest.Findings.Error}}</td>
<td class="warning">{{.Latest.Findings.Warning}}</td><td>{{.Latest.Findings.Info}}</td><td>{{.Runs}}</td></tr>
{{else}}<tr><td colspan="8">{{t "none"}}</td></tr>{{end}}</table></body></html>{{end}}

{{define "runs"}}{{template "head" (t "runs")}}{{template "nav" .}}
<h1>{{t "runs"}}{{with .Target}}: {{.}}{{end}}</h1>
<form method="get" action="/diff"><label>{{t "base"}} # <input name="base" size="5" required></label>
<label>{{t "head"}} # <input name="head" size="5" value="latest" required></label><button>{{t "compare"}}</button></form>
<table><tr><th>#</th><th>{{t "target"}}</th><th>{{t "started"}}</th><th>{{t "status"}}</th><th>{{t "pages"}}</th>
<th class="error">E</th><th class="warning">W</th><th>I</th></tr>
{{range .Runs}}<tr><td><a href="/runs/{{.ID}}">{{.ID}}</a></td><td>{{.Name}}</td>
<td>{{.StartedAt.Format "2006-01-02 15:04"}}</td><td>{{.Status}}</td><td>{{.Pages}}</td>
<td class="error">{{.Findings.Error}}</td><td class="warning">{{.Findings.Warning}}</td><td>{{.Findings.Info}}</td></tr>
{{else}}<tr><td colspan="8">{{t "none"}}</td></tr>{{end}}</table></body></html>{{end}}
`

// The board lists one row per group (rule and subject), open ones first;
// its pages unfold under it. An admin assigns a group, or marks it fixed.
const boardTemplate = `
{{define "board"}}{{template "head" (t "board")}}{{template "nav" .}}
<h1>{{t "board"}}{{with .Target}}: {{.}}{{end}}</h1>
{{with .Summary}}<p class="summary">{{t "sum-open"}} <b>{{.Open}}</b> · {{t "overdue"}} <b>{{.Overdue}}</b> · {{t "unassigned"}} <b>{{.Unassigned}}</b>
· {{t "recheck-pending"}} <b>{{.Pending}}</b> · {{t "recheck-failed"}} <b>{{.Failed}}</b> · {{t "sum-resolved"}} <b>{{.Resolved}}</b></p>{{end}}
{{if .Hidden}}<p><a href="/board?target={{.Target}}&amp;all=1">{{t "show-all"}} ({{.Hidden}})</a></p>{{end}}
<table class="board"><tr><th>{{t "state"}}</th><th>{{t "rule"}}</th><th>{{t "subject"}}</th><th>{{t "pages"}}</th>
<th>{{t "first-seen"}}</th><th>{{t "reopened"}}</th><th>{{t "age"}}</th><th>{{t "owner"}}</th><th>{{t "due"}}</th><th>{{t "note"}}</th>{{if .CanAssign}}<th></th>{{end}}</tr>
{{$d := .}}{{range .Groups}}<tr class="{{.Severity}}" data-rule="{{.Rule}}">
<td class="state">{{if .Open}}{{if .Overdue}}{{t "overdue"}}{{else}}{{t "open"}}{{end}}{{else}}{{t "fixed"}}{{with .ResolvedIn}} #{{.RunID}}{{end}}{{end}}
{{with .Recheck}} <span class="recheck {{.}}">{{t (print "recheck-" .)}}</span>{{end}}</td>
<td>{{.Rule}}</td><td>{{.Subject}}</td>
<td><details><summary>{{.Pages}}</summary><ul>{{range .Lives}}<li>{{.URL}} {{.Viewport}}: {{if .Open}}{{t "open"}}{{else}}{{t "fixed"}} #{{.ResolvedIn.RunID}}{{end}}
{{with .Mark}} · {{t "marked"}} {{.At.Format "2006-01-02 15:04"}}{{with .Note}} ({{.}}){{end}}{{end}}<br><small>{{.Message}}</small></li>{{end}}</ul></details></td>
<td>#{{.FirstSeen.RunID}} {{.FirstSeen.At.Format "2006-01-02"}}</td><td>{{.Reopened}}</td><td>{{.AgeDays}}</td>
{{with .Assignment}}<td>{{.Owner}}</td><td>{{.Due}}</td><td>{{.Note}}</td>{{else}}<td></td><td></td><td></td>{{end}}
{{if $d.CanAssign}}<td>{{if .Open}}{{$fps := join .OpenFingerprints " "}}<details class="act"><summary>{{t "act"}}</summary>
<form method="post" action="/board/assign" class="assign"><input type="hidden" name="csrf" value="{{$d.CSRF}}">
<input type="hidden" name="target" value="{{$d.Target}}"><input type="hidden" name="fingerprint" value="{{$fps}}">
<input name="owner" placeholder="{{t "owner"}}" required size="8"><input name="due" type="date" value="{{$d.Today}}" required>
<input name="note" placeholder="{{t "note"}}" size="10"><button>{{t "assign"}}</button></form>
<form method="post" action="/board/assign" class="fixed"><input type="hidden" name="csrf" value="{{$d.CSRF}}">
<input type="hidden" name="target" value="{{$d.Target}}"><input type="hidden" name="fingerprint" value="{{$fps}}">
<input type="hidden" name="fixed" value="1"><input name="note" placeholder="{{t "fix-note"}}" size="10"><button>{{t "mark-fixed"}}</button></form></details>{{end}}</td>{{end}}</tr>
{{else}}<tr><td colspan="11">{{t "none"}}</td></tr>{{end}}</table></body></html>{{end}}
`

// The trend page: the charts (inline SVG drawn by report, escaped there)
// and the products whose price moved.
const trendsTemplate = `
{{define "trends"}}{{template "head" (t "trends")}}<style>{{chartCSS}}</style>{{template "nav" .}}
<h1>{{t "trends"}}{{with .Target}}: {{.}}{{end}}</h1>
<form method="get" action="/trends"><input type="hidden" name="target" value="{{.Target}}">
<label>{{t "window"}} <input name="runs" size="4" value="{{.Window}}"></label><button>{{t "show"}}</button></form>
{{if .Runs}}<p>{{t "runs"}}: {{.Runs}}</p>
<div class="charts">{{range .Trends.Metrics}}{{.}}{{end}}{{with .Trends.Areas}}{{.}}{{end}}{{with .Trends.Moves}}{{.}}{{end}}</div>
<h2>{{t "prices"}}</h2>
<table class="prices"><tr><th>{{t "page"}}</th><th>{{t "first-price"}}</th><th>{{t "last-price"}}</th><th>{{t "changes"}}</th><th>{{t "last-change"}}</th><th></th></tr>
{{range .Trends.Prices}}<tr><td>{{.Title}}<br><small>{{.URL}}</small></td><td>¥{{printf "%.2f" .First}}</td><td>¥{{printf "%.2f" .Last}}</td><td>{{.Changes}}</td>
<td><a href="/runs/{{.LastRun}}">#{{.LastRun}}</a></td><td>{{.Spark}}</td></tr>
{{else}}<tr><td colspan="6">{{t "no-price-change"}}</td></tr>{{end}}</table>
{{else}}<p>{{t "none"}}</p>{{end}}</body></html>{{end}}
`

// dashboardWords are the pages' words in each language.
var dashboardWords = map[lang.Tag]map[string]string{
	lang.ZH: {"lang": "zh-CN", "targets": "抽检对象", "runs": "抽检记录", "target": "对象", "latest": "最近一次",
		"status": "状态", "pages": "页面", "started": "开始", "none": "暂无记录", "login": "登录", "logout": "退出",
		"token": "令牌", "board": "整改跟踪", "state": "状态", "rule": "规则", "page": "页面", "subject": "对象",
		"first-seen": "首次发现", "reopened": "复发次数", "age": "天数", "owner": "负责人", "due": "期限",
		"open": "未整改", "overdue": "已逾期", "fixed": "已整改", "note": "备注", "assign": "分派",
		"base": "基准", "head": "对比", "compare": "比较",
		"sum-open": "待整改", "sum-resolved": "已整改", "unassigned": "未分派", "recheck-pending": "待复查",
		"recheck-failed": "复查未通过", "recheck-confirmed": "复查通过", "show-all": "显示全部已整改",
		"marked": "标记整改", "fix-note": "整改说明", "mark-fixed": "标记已整改", "act": "分派 / 标记整改",
		"trends": "趋势", "window": "最近几次抽检", "show": "显示", "prices": "价格变动", "first-price": "期初价",
		"last-price": "最新价", "changes": "变动次数", "last-change": "最近变动", "no-price-change": "这段时间没有价格变动"},
	lang.EN: {"lang": "en", "targets": "Targets", "runs": "Runs", "target": "Target", "latest": "Latest run",
		"status": "Status", "pages": "Pages", "started": "Started", "none": "Nothing yet", "login": "Log in",
		"logout": "Log out", "token": "Token", "board": "Rectification board", "state": "State", "rule": "Rule",
		"page": "Page", "subject": "Subject", "first-seen": "First seen", "reopened": "Reopened", "age": "Days",
		"owner": "Owner", "due": "Due", "open": "open", "overdue": "overdue", "fixed": "fixed in", "note": "Note",
		"assign": "Assign", "base": "Base", "head": "Head", "compare": "Compare",
		"sum-open": "Open", "sum-resolved": "Resolved", "unassigned": "unassigned", "recheck-pending": "awaiting re-check",
		"recheck-failed": "re-check failed", "recheck-confirmed": "re-check passed", "show-all": "Show every resolved group",
		"marked": "marked fixed", "fix-note": "what was done", "mark-fixed": "Mark fixed", "act": "Assign / mark fixed",
		"trends": "Trends", "window": "Last runs", "show": "Show", "prices": "Price changes", "first-price": "First",
		"last-price": "Latest", "changes": "Changes", "last-change": "Last change", "no-price-change": "No price changed in these runs"},
}

// words is the pages' t function in tag (English when unset).
func words(tag lang.Tag) func(key string) string {
	ws, ok := dashboardWords[tag]
	if !ok {
		ws = dashboardWords[lang.EN]
	}
	return func(key string) string {
		if w, ok := ws[key]; ok {
			return w
		}
		panic(fmt.Sprintf("serve: no word %q", key)) // a template typo, caught by the tests
	}
}
