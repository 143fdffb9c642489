//! `kubectl describe` pages (`kubectl/pkg/describe/describe.go`).
