package fakecloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
)

// Inventory is what the fake clouds hold. Only the clouds present are
// served.
type Inventory struct {
	AWS   *AWS   `json:"aws,omitempty"`
	Azure *Azure `json:"azure,omitempty"`
	// GCPAccount is a Google Cloud project as skyform doctor reads it
	// (gcp_doctor.go).
	GCPAccount *GCPAccount `json:"gcp_account,omitempty"`
	// GCP is a Google Cloud project as skyform import reads it (gcp.go).
	GCP *GCP `json:"gcp,omitempty"`
	// PageSize is how many items a list returns at most per page (default 1,
	// so every list pages).
	PageSize int `json:"page_size,omitempty"`
	// ThrottleOnce names operations ("sqs:ListQueues"; on GCP the
	// permission a call needs, "pubsub.topics.list") answered once with
	// the API's throttling error before they succeed.
	ThrottleOnce []string `json:"throttle_once,omitempty"`
	// Deny names operations ("rds:DescribeDBInstances",
	// "cloudsql.instances.list") refused as for a caller without the
	// permission.
	Deny []string `json:"deny,omitempty"`
}

// Load reads an inventory file (JSON).
func Load(path string) (*Inventory, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var inv Inventory
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&inv); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &inv, nil
}

// Server is a running fake cloud.
type Server struct {
	*httptest.Server
	inv *Inventory

	gauth gcpAuth

	mu        sync.Mutex
	throttled map[string]bool
	calls     []string
}

// New starts a fake serving inv; Close stops it.
func New(inv *Inventory) *Server {
	s := &Server{inv: inv, throttled: map[string]bool{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Calls lists the operations served so far ("sqs:ListQueues"), in order.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *Server) pageSize() int {
	if s.inv.PageSize > 0 {
		return s.inv.PageSize
	}
	return 1
}

// fault says whether op must fail now: "throttle" (once), "deny" or "".
func (s *Server) fault(op string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, op)
	for _, d := range s.inv.Deny {
		if d == op {
			return "deny"
		}
	}
	for _, t := range s.inv.ThrottleOnce {
		if t == op && !s.throttled[op] {
			s.throttled[op] = true
			return "throttle"
		}
	}
	return ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.inv.GCPAccount != nil && s.serveGCPAccount(w, r) {
		return
	}
	if s.inv.AWS != nil && s.serveAWS(w, r) {
		return
	}
	if s.inv.Azure != nil && (s.serveAzureAccount(w, r) || s.serveAzure(w, r)) {
		return
	}
	if s.inv.GCP != nil && s.serveGCP(w, r) {
		return
	}
	http.Error(w, "fakecloud: no API at "+r.Method+" "+r.URL.Path, http.StatusNotFound)
}

// page returns the items of one page starting at the token (an index) and
// the next token, "" on the last page.
func page[T any](items []T, token string, size int) ([]T, string) {
	start := 0
	fmt.Sscanf(token, "p%d", &start)
	if start > len(items) {
		start = len(items)
	}
	end := start + size
	if end >= len(items) {
		return items[start:], ""
	}
	return items[start:end], fmt.Sprintf("p%d", end)
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
