package fakegcs

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// Bucket metadata is kept here rather than in fake-gcs-server, which
// knows versioning alone (and turns it off on any patch that does not
// mention it): the JSON API's bucket documents, as created and patched,
// with the location in upper case as Cloud Storage reports it.

// bucketRequest serves the bucket calls of the JSON API (insert, get,
// patch); it reports false for any other request.
func (s *Server) bucketRequest(w http.ResponseWriter, r *http.Request) bool {
	path := r.URL.EscapedPath()
	switch {
	case r.Method == http.MethodPost && (path == "/storage/v1/b" || path == "/storage/v1/b/"):
		s.insertBucket(w, r)
		return true
	case strings.HasPrefix(path, "/storage/v1/b/") && !strings.Contains(strings.TrimPrefix(path, "/storage/v1/b/"), "/"):
		name, err := url.PathUnescape(strings.TrimPrefix(path, "/storage/v1/b/"))
		if err != nil {
			return false
		}
		switch r.Method {
		case http.MethodGet:
			s.mu.Lock()
			doc, ok := s.buckets[name]
			s.mu.Unlock()
			if !ok {
				writeError(w, http.StatusNotFound, "notFound", "The specified bucket does not exist.")
				return true
			}
			writeJSON(w, http.StatusOK, doc)
			return true
		case http.MethodPatch:
			s.patchBucket(w, r, name)
			return true
		}
	}
	return false
}

func (s *Server) insertBucket(w http.ResponseWriter, r *http.Request) {
	var doc map[string]any
	if err := json.NewDecoder(r.Body).Decode(&doc); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	name, _ := doc["name"].(string)
	if name == "" || r.URL.Query().Get("project") == "" {
		writeError(w, http.StatusBadRequest, "required", "a bucket needs a name and a project")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.buckets[name]; ok {
		writeError(w, http.StatusConflict, "conflict", "Your previous request to create the named bucket succeeded and you already own it.")
		return
	}
	loc, _ := doc["location"].(string)
	if loc == "" {
		loc = "US"
	}
	doc["location"] = strings.ToUpper(loc)
	doc["kind"], doc["id"] = "storage#bucket", name
	s.buckets[name] = doc
	s.projects[name] = r.URL.Query().Get("project")
	v, _ := doc["versioning"].(map[string]any)
	on, _ := v["enabled"].(bool)
	s.gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name, VersioningEnabled: on})
	writeJSON(w, http.StatusOK, doc)
}

// patchBucket merges a patch into the bucket's document, objects one
// level deep (iamConfiguration, versioning, encryption), as the JSON API
// does for the fields skyform sets.
func (s *Server) patchBucket(w http.ResponseWriter, r *http.Request, name string) {
	var patch map[string]any
	if err := json.NewDecoder(r.Body).Decode(&patch); err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.buckets[name]
	if !ok {
		writeError(w, http.StatusNotFound, "notFound", "The specified bucket does not exist.")
		return
	}
	for k, v := range patch {
		sub, isObj := v.(map[string]any)
		cur, _ := doc[k].(map[string]any)
		if !isObj || cur == nil {
			doc[k] = v
			continue
		}
		for sk, sv := range sub {
			cur[sk] = sv
		}
	}
	writeJSON(w, http.StatusOK, doc)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Bucket returns a bucket's JSON API document, and whether it exists.
func (s *Server) Bucket(name string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.buckets[name]
	if !ok {
		return nil, false
	}
	data, _ := json.Marshal(doc)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out, true
}

// Project is the project a bucket was created in ("" for one CreateBucket
// made).
func (s *Server) Project(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.projects[name]
}
