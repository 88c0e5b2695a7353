package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"path/filepath"
	"strings"
)

// maxCodeBytes bounds a downloaded deployment package.
const maxCodeBytes = 256 << 20

// downloadPackage fetches a function's deployment package (a zip) from the
// pre-signed URL its cloud gives and unpacks it; only regular files with
// local paths are taken.
func downloadPackage(ctx context.Context, client *http.Client, url string) (map[string][]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the deployment package: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCodeBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCodeBytes {
		return nil, fmt.Errorf("the deployment package is larger than %d MB", maxCodeBytes>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("the deployment package is not a zip: %w", err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		if !zf.Mode().IsRegular() {
			continue
		}
		if !filepath.IsLocal(zf.Name) || strings.Contains(zf.Name, `\`) {
			return nil, fmt.Errorf("the deployment package holds %q, outside its directory", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxCodeBytes))
		rc.Close()
		if err != nil {
			return nil, err
		}
		files[path.Clean(zf.Name)] = b
	}
	if len(files) == 0 {
		return nil, errors.New("the deployment package is empty")
	}
	return files, nil
}
