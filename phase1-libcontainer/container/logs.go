package container

import "path/filepath"

// LogFiles are the paths of a detached container's output. The files
// exist once the container has been created; a foreground container has
// none, its output went to the caller.
type LogFiles struct {
	Stdout string
	Stderr string
}

// Logs returns where the output of the container id is kept.
func (m *Manager) Logs(id string) (LogFiles, error) {
	dir, err := m.existing(id)
	if err != nil {
		return LogFiles{}, err
	}
	return LogFiles{
		Stdout: filepath.Join(dir, stdoutLog),
		Stderr: filepath.Join(dir, stderrLog),
	}, nil
}
