// Package ext is the extension point Traefik's dynamic configuration embeds (ext.HTTP in
// HTTPConfiguration, ext.Router in Router). The open-source build carries nothing in it; these
// empty types are ours, so that the release builds from the module proxy alone.
package ext

// HTTP adds no fields to the HTTP configuration.
type HTTP struct{}

// Router adds no fields to a router.
type Router struct{}
