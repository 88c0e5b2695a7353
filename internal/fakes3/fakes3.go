// Package fakes3 is an in-process S3 for tests: gofakes3 (buckets,
// objects, versioning, conditional writes with If-None-Match, which
// terraform's S3 lock file relies on), plus the two bucket subresources
// gofakes3 does not serve and skyform state bootstrap sets: default
// encryption and the public access block. Nothing here reaches a network
// beyond the loopback listener.
//
// It also lets a test hold a lock: HoldUnlocks keeps every lock file in
// place until released, so a second terraform run meets a run that holds
// the state lock for as long as the test needs. And it can fail writes:
// FailWrites answers 500 to every upload of one object, as S3 does in an
// outage, so a test can see what becomes of a state terraform could not
// save.
package fakes3

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

var locationRE = regexp.MustCompile(`<LocationConstraint>([a-z0-9-]+)</LocationConstraint>`)

// Server is a running fake S3.
type Server struct {
	*httptest.Server
	backend *s3mem.Backend
	s3      http.Handler

	mu         sync.Mutex
	encryption map[string][]byte
	publicACL  map[string][]byte
	regions    map[string]string
	hold       chan struct{}
	// failing are the objects ("bucket/key") whose uploads answer 500,
	// and failed counts the uploads refused.
	failing map[string]bool
	failed  int
}

// New starts a fake S3 on a loopback port; Close stops it.
func New() *Server {
	s := &Server{
		backend:    s3mem.New(),
		encryption: map[string][]byte{},
		publicACL:  map[string][]byte{},
		regions:    map[string]string{},
		failing:    map[string]bool{},
	}
	s.s3 = gofakes3.New(s.backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bucket, object, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case object == "" && q.Has("encryption"):
		s.subresource(w, r, bucket, s.encryption, "ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")
		return
	case object == "" && q.Has("publicAccessBlock"):
		s.subresource(w, r, bucket, s.publicACL, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
		return
	case object == "" && q.Has("location") && r.Method == http.MethodGet:
		s.mu.Lock()
		region := s.regions[bucket]
		s.mu.Unlock()
		if ok, _ := s.backend.BucketExists(bucket); ok && region != "" {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`+region+`</LocationConstraint>`)
			return
		}
	case object == "" && len(q) == 0 && r.Method == http.MethodPut:
		// gofakes3 ignores where a bucket is created; remember it.
		body, _ := io.ReadAll(r.Body)
		if m := locationRE.FindSubmatch(body); m != nil {
			s.mu.Lock()
			s.regions[bucket] = string(m[1])
			s.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	case object != "" && (r.Method == http.MethodPut || r.Method == http.MethodPost) && s.refuseWrite(bucket, object):
		// PutObject, and each step of a multipart upload.
		_, _ = io.Copy(io.Discard, r.Body)
		writeError(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
		return
	case r.Method == http.MethodDelete && strings.HasSuffix(object, ".tflock"):
		s.mu.Lock()
		hold := s.hold
		s.mu.Unlock()
		if hold != nil {
			<-hold
		}
	}
	s.s3.ServeHTTP(w, r)
}

// subresource stores a bucket configuration document on PUT and returns
// it on GET, as S3 does for the configurations gofakes3 lacks.
func (s *Server) subresource(w http.ResponseWriter, r *http.Request, bucket string, store map[string][]byte, missingCode, missingMsg string) {
	if ok, _ := s.backend.BucketExists(bucket); !ok {
		writeError(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Method {
	case http.MethodPut:
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, http.StatusBadRequest, "IncompleteBody", err.Error())
			return
		}
		store[bucket] = body
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		doc, ok := store[bucket]
		if !ok {
			writeError(w, http.StatusNotFound, missingCode, missingMsg)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write(doc)
	case http.MethodDelete:
		delete(store, bucket)
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource")
	}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+"</Code><Message>"+msg+"</Message></Error>")
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

func (s *Server) refuseWrite(bucket, object string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing[bucket+"/"+object] {
		s.failed++
		return true
	}
	return false
}

// FailWrites makes every upload of the object (PutObject, multipart
// uploads) answer 500 InternalError until stop is called; reads, and
// writes of other objects such as the lock file, go on working. stop is
// safe to call more than once and returns how many uploads were refused.
func (s *Server) FailWrites(bucket, key string) (stop func() int) {
	s.mu.Lock()
	s.failing[bucket+"/"+key] = true
	s.failed = 0
	s.mu.Unlock()
	return func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.failing, bucket+"/"+key)
		return s.failed
	}
}

// Object returns an object's content, and whether it exists.
func (s *Server) Object(bucket, key string) ([]byte, bool) {
	obj, err := s.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, false
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	return data, err == nil
}

// CreateBucket makes a bucket directly, as if someone else had.
func (s *Server) CreateBucket(name string) error { return s.backend.CreateBucket(name) }
