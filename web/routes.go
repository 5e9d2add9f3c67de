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
}
