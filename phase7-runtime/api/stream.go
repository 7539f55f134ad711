package api

// The streams a Frame can carry. Stdin frames go from the client to the
// daemon, on an exec connection upgraded to ExecProtocol.
const (
	Stdin  = "stdin"
	Stdout = "stdout"
	Stderr = "stderr"
)

// ExecProtocol is the protocol an exec with Stdin upgrades its
// connection to (the Upgrade header, RFC 9110 section 7.8): after the
// 101 answer, both sides send Frames as JSON Lines. A stdin Frame
// without Data ends the command's input.
const ExecProtocol = "shibafu-exec"

// Frame is one piece of a streamed response (logs, exec): the response
// body is a sequence of Frames, one JSON object per line (JSON Lines).
// Output and the end of the stream travel on one connection this way,
// which a plain byte stream could not tell apart.
type Frame struct {
	// Stream is Stdout or Stderr when Data is set; Stdin from a client.
	Stream string `json:"stream,omitempty"`
	// Data is a chunk of output (base64 in JSON).
	Data []byte `json:"data,omitempty"`
	// Exit, in the last frame of an exec, is the process's exit code.
	Exit *int `json:"exit,omitempty"`
	// Error, in a last frame, says why the stream broke off.
	Error string `json:"error,omitempty"`
}
