package fakegcs

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
)

// The fake accepts a request only with an OAuth bearer token it knows: the
// static Token (for GOOGLE_OAUTH_ACCESS_TOKEN), one its token endpoint
// issued for a JWT signed by its service account's key, or such a JWT
// itself (a self-signed JWT, which Google's client libraries may send
// instead of asking for a token).

// ClientEmail is the fake service account's address.
const ClientEmail = "state@skyform-test.iam.gserviceaccount.com"

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "fake-" + hex.EncodeToString(b)
}

// ServiceAccountKey is a service account key file (for
// GOOGLE_APPLICATION_CREDENTIALS) whose token endpoint is the fake's.
func (s *Server) ServiceAccountKey() []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(s.saKey)
	data, _ := json.MarshalIndent(map[string]string{
		"type":           "service_account",
		"project_id":     "skyform-test",
		"private_key_id": "fake",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   ClientEmail,
		"client_id":      "1",
		"token_uri":      s.URL + "/token",
	}, "", "  ")
	return data
}

// issueToken serves the token endpoint: a JWT bearer grant signed by the
// service account's key gets an access token.
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": err.Error()})
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type", "error_description": g})
		return
	}
	if err := s.verifyJWT(r.PostForm.Get("assertion")); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": err.Error()})
		return
	}
	tok := randomToken()
	s.mu.Lock()
	s.tokens[tok] = true
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

// verifyJWT checks a JWT's RS256 signature against the service account's
// key and that the service account issued it.
func (s *Server) verifyJWT(jwt string) error {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("JWT signature: %v", err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&s.saKey.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("the JWT is not signed by the service account's key")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("JWT claims: %v", err)
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Iss != ClientEmail {
		return fmt.Errorf("the JWT is not issued by %s", ClientEmail)
	}
	return nil
}

// authorized tells whether a request carries a bearer token the fake
// knows, or a JWT its service account signed.
func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	known := s.tokens[tok]
	s.mu.Unlock()
	return known || s.verifyJWT(tok) == nil
}
