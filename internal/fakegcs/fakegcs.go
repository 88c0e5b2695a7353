// Package fakegcs is an in-process Cloud Storage for tests: fake-gcs-server
// (objects, generations, uploads with ifGenerationMatch, which
// terraform's gcs backend creates its lock file with) on a loopback
// listener, plus what fake-gcs-server lacks: the generation precondition
// on deletes, which terraform's unlock sends; bucket documents as the JSON
// API creates and patches them (location, versioning, uniform
// bucket-level access, public access prevention, encryption), which
// skyform state bootstrap sets; and credentials: every request needs a
// bearer token the fake issued, for Token or for a JWT signed by the key
// in ServiceAccountKey, whose token endpoint is the fake's. Nothing here
// reaches a network beyond the loopback listener.
//
// It also lets a test hold a lock: HoldUnlocks keeps every lock file in
// place until released, so a second terraform run meets a run that holds
// the state lock for as long as the test needs.
package fakegcs

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/fsouza/fake-gcs-server/fakestorage"
)

// Server is a running fake Cloud Storage. Its URL serves both the JSON API
// (/storage/v1/, /upload/storage/v1/) and the XML API's object reads
// (/BUCKET/OBJECT), which the Go client uses for downloads.
type Server struct {
	*httptest.Server
	gcs *fakestorage.Server

	// Token is an OAuth access token the fake accepts (for
	// GOOGLE_OAUTH_ACCESS_TOKEN).
	Token string
	saKey *rsa.PrivateKey

	mu       sync.Mutex
	hold     chan struct{}
	tokens   map[string]bool
	buckets  map[string]map[string]any
	projects map[string]string
}

// New starts a fake Cloud Storage on a loopback port; Close stops it.
func New() (*Server, error) {
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	s := &Server{Token: randomToken(), saKey: saKey, buckets: map[string]map[string]any{}, projects: map[string]string{}}
	s.tokens = map[string]bool{s.Token: true}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	host := s.Listener.Addr().String()
	gcs, err := fakestorage.NewServerWithOptions(fakestorage.Options{
		NoListener: true,
		// Object reads through the XML API arrive at this host.
		PublicHost:  host,
		ExternalURL: "http://" + host,
	})
	if err != nil {
		s.Listener.Close()
		return nil, err
	}
	s.gcs = gcs
	s.Start()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() {
	s.Server.Close()
	s.gcs.Stop()
}

// Endpoint is the JSON API's base URL, as terraform's
// storage_custom_endpoint and the Go client's option.WithEndpoint take it.
func (s *Server) Endpoint() string { return s.URL + "/storage/v1/" }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/token" {
		s.issueToken(w, r)
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "authError", "Invalid Credentials")
		return
	}
	if s.bucketRequest(w, r) {
		return
	}
	if r.Method == http.MethodDelete {
		if bucket, object, ok := objectPath(r.URL); ok {
			if strings.HasSuffix(object, ".tflock") {
				s.mu.Lock()
				hold := s.hold
				s.mu.Unlock()
				if hold != nil {
					<-hold
				}
			}
			if !s.deleteConditionsMet(r, bucket, object) {
				writeError(w, http.StatusPreconditionFailed, "conditionNotMet", "Precondition Failed")
				return
			}
		}
	}
	s.gcs.HTTPHandler().ServeHTTP(w, r)
}

// objectPath reads the bucket and object of a JSON API object request
// (/storage/v1/b/BUCKET/o/OBJECT).
func objectPath(u *url.URL) (bucket, object string, ok bool) {
	rest, ok := strings.CutPrefix(u.EscapedPath(), "/storage/v1/b/")
	if !ok {
		return "", "", false
	}
	b, o, ok := strings.Cut(rest, "/o/")
	if !ok || o == "" {
		return "", "", false
	}
	bucket, err1 := url.PathUnescape(b)
	object, err2 := url.PathUnescape(o)
	return bucket, object, err1 == nil && err2 == nil
}

// deleteConditionsMet applies ifGenerationMatch and ifGenerationNotMatch
// to a delete, as Cloud Storage does: terraform unlocks only the lock file
// it created, by its generation.
func (s *Server) deleteConditionsMet(r *http.Request, bucket, object string) bool {
	q := r.URL.Query()
	match, notMatch := q.Get("ifGenerationMatch"), q.Get("ifGenerationNotMatch")
	if match == "" && notMatch == "" {
		return true
	}
	var current int64
	if obj, err := s.gcs.GetObject(bucket, object); err == nil {
		current = obj.Generation
	}
	if g, err := strconv.ParseInt(match, 10, 64); match != "" && (err != nil || g != current) {
		return false
	}
	if g, err := strconv.ParseInt(notMatch, 10, 64); notMatch != "" && (err != nil || g == current) {
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, status int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": status, "message": msg, "errors": []any{map[string]any{"reason": reason, "message": msg}},
	}})
}

// HoldUnlocks makes every removal of a terraform lock file (*.tflock)
// wait until release is called: the run that holds the state lock keeps
// it. release is safe to call more than once.
func (s *Server) HoldUnlocks() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.hold = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.hold = nil
			s.mu.Unlock()
			close(ch)
		})
	}
}

// Object returns an object's content, and whether it exists.
func (s *Server) Object(bucket, name string) ([]byte, bool) {
	obj, err := s.gcs.GetObject(bucket, name)
	if err != nil {
		return nil, false
	}
	return obj.Content, true
}

// CreateBucket makes a bucket directly, as if someone else had: in the US
// multi-region, versioning off, object ACLs allowed.
func (s *Server) CreateBucket(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buckets[name] = map[string]any{"kind": "storage#bucket", "id": name, "name": name, "location": "US",
		"versioning":       map[string]any{"enabled": false},
		"iamConfiguration": map[string]any{"uniformBucketLevelAccess": map[string]any{"enabled": false}, "publicAccessPrevention": "inherited"}}
	s.gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: name})
}

// PutObject stores an object directly, as if someone else had (a lock
// file a run that died left behind); it returns the object's generation.
func (s *Server) PutObject(bucket, name string, data []byte) int64 {
	s.gcs.CreateObject(fakestorage.Object{ObjectAttrs: fakestorage.ObjectAttrs{BucketName: bucket, Name: name}, Content: data})
	obj, err := s.gcs.GetObject(bucket, name)
	if err != nil {
		return 0
	}
	return obj.Generation
}
