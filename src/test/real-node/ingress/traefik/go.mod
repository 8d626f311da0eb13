// Builds Traefik's own command (cmd/traefik) at the pinned release. `go install ...@version`
// refuses Traefik's module because its go.mod has replace directives; a main module of ours that
// requires it and repeats those replaces builds it unchanged (see ../build.sh).
module dev.operators.django/real-node/ingress/traefik

go 1.26.0

tool github.com/traefik/traefik/v3/cmd/traefik

require github.com/traefik/traefik/v3 v3.7.13

// Traefik's go.mod points this at a nested module that its release zip does not contain (a nested
// go.mod is cut out of the zip) and the proxy does not serve; ./ext is our empty stand-in.
replace github.com/traefik/traefik/dynamic/ext => ./ext

// Traefik's forks. Its go.mod pins go-http-auth's fork at a 2026 commit
// (v0.4.1-0.20260804094822-b975dcaa8c48) that the module proxy does not serve; this is an earlier
// commit of the fork (2020), which it serves. Only the basicAuth and digestAuth middlewares use it, and the
// test world configures neither.
replace (
	github.com/abbot/go-http-auth => github.com/containous/go-http-auth v0.4.1-0.20200324110947-a37a7636d23e
	github.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59
)
