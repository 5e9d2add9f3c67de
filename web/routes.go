package web

// route is one page of the site. A public route's pattern has {slug}: the server
// finds the published community it names (404 otherwise, the same page as for an
// unknown slug), chooses the language, and serves the reply from its cache while
// the community's data have not changed. A private route gets no community and is
// never cached; its handler checks what the request carries.
type route struct {
	pattern string
	public  bool
	handle  func(s *Server, r *Request) (*Reply, error)
}

// routes lists every page. Each handler lives in the file of its page
// (community.go, campaign.go, poll.go, project.go, card.go…).
var routes = []route{
	{"GET /c/{slug}", true, (*Server).communityPage},
	{"GET /c/{slug}/card.png", true, (*Server).communityCard},
	{"GET /c/{slug}/campaigns/{id}", true, (*Server).campaignPage},
	{"GET /c/{slug}/campaigns/{id}/card.png", true, (*Server).campaignCard},
	{"GET /c/{slug}/polls/{id}", true, (*Server).pollPage},
	{"GET /c/{slug}/polls/{id}/card.png", true, (*Server).pollCard},
	{"GET /c/{slug}/projects/{id}", true, (*Server).projectPage},
	{"GET /c/{slug}/projects/{id}/card.png", true, (*Server).projectCard},
	// web2: impact, exports, badges, the widget, the dashboard.
	{"GET /c/{slug}/impact", true, (*Server).impactPage},
	{"GET /c/{slug}/impact/card.png", true, (*Server).impactCard},
	{"GET /c/{slug}/impact.csv", true, (*Server).impactCSV},
	{"GET /c/{slug}/impact.json", true, (*Server).impactJSON},
	{"GET /c/{slug}/badge.svg", true, (*Server).communityBadge},
	{"GET /c/{slug}/campaigns/{id}/ledger.csv", true, (*Server).ledgerCSV},
	{"GET /c/{slug}/campaigns/{id}/badge.svg", true, (*Server).campaignBadge},
	{"GET /c/{slug}/campaigns/{id}/widget", true, (*Server).campaignWidget},
	{"GET /c/{slug}/polls/{id}/results.csv", true, (*Server).resultsCSV},
	{"GET /d/{token}", false, (*Server).dashboardPage},
}
