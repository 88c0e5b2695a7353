package encrypted

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
)

// username is the http backend's user name; the password is random per
// Server.
const username = "skyform"

// Server serves one state file to terraform as an http backend.
type Server struct {
	file     string
	key      *Key
	password string
	url      string
	ln       net.Listener
	srv      *http.Server

	mu   sync.Mutex
	lock []byte // the lock info terraform sent with LOCK, nil when unlocked
	err  error  // the last failure to read or write the file, for messages
}

// Serve starts serving file (which need not exist yet) on a random port of
// 127.0.0.1.
func Serve(file string, key *Key) (*Server, error) {
	pw := make([]byte, 32)
	if _, err := rand.Read(pw); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot serve the encrypted state: %w", err)
	}
	s := &Server{file: file, key: key, password: hex.EncodeToString(pw), ln: ln,
		url: "http://" + ln.Addr().String() + "/state"}
	s.srv = &http.Server{Handler: s}
	go s.srv.Serve(ln)
	return s, nil
}

// Env is the environment that points terraform's http backend (an empty
// backend "http" {} block) at the server. Nothing of it is written to
// .terraform/ or a plan, and the port may differ on every run.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"TF_HTTP_ADDRESS":        s.url,
		"TF_HTTP_LOCK_ADDRESS":   s.url,
		"TF_HTTP_UNLOCK_ADDRESS": s.url,
		"TF_HTTP_USERNAME":       username,
		"TF_HTTP_PASSWORD":       s.password,
		// The methods the server answers, whatever the caller's
		// environment says.
		"TF_HTTP_UPDATE_METHOD": http.MethodPost,
		"TF_HTTP_LOCK_METHOD":   "LOCK",
		"TF_HTTP_UNLOCK_METHOD": "UNLOCK",
	}
}

// Err is the last failure to read or write the state file, if any.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

func (s *Server) fail(w http.ResponseWriter, code int, err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	http.Error(w, err.Error(), code)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pw, ok := r.BasicAuth()
	if !ok || user != username || subtle.ConstantTimeCompare([]byte(pw), []byte(s.password)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.URL.Path != "/state" {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet:
		data, err := os.ReadFile(s.file)
		if errors.Is(err, os.ErrNotExist) {
			// No state yet: terraform starts an empty one.
			http.NotFound(w, r)
			return
		}
		if err != nil {
			s.fail(w, http.StatusInternalServerError, fmt.Errorf("cannot read the state %s: %w", s.file, err))
			return
		}
		plain, err := s.key.Open(data)
		if err != nil {
			s.fail(w, http.StatusInternalServerError, fmt.Errorf("cannot decrypt the state %s: %w", s.file, err))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(plain)
	case http.MethodPost:
		plain, err := io.ReadAll(r.Body)
		if err != nil {
			s.fail(w, http.StatusBadRequest, err)
			return
		}
		sealed, err := s.key.Seal(plain)
		if err == nil {
			err = writeFile(s.file, sealed)
		}
		if err != nil {
			s.fail(w, http.StatusInternalServerError, fmt.Errorf("cannot write the state %s: %w", s.file, err))
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		if err := os.Remove(s.file); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.fail(w, http.StatusInternalServerError, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	case "LOCK":
		info, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.lock != nil {
			// terraform reads the holder's lock info from the body.
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusLocked)
			w.Write(s.lock)
			return
		}
		s.lock = info
		w.WriteHeader(http.StatusOK)
	case "UNLOCK":
		s.mu.Lock()
		s.lock = nil
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// writeFile replaces path with data through a temporary file in the same
// directory, synced and renamed, so the state is never half written.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
