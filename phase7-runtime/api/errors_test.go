package api_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"shibafu.dev/phase7-runtime/api"
)

func TestStatusAndCategoryRoundTrip(t *testing.T) {
	tests := []struct {
		category error
		status   int
	}{
		{api.ErrInvalid, http.StatusBadRequest},
		{api.ErrNotFound, http.StatusNotFound},
		{api.ErrConflict, http.StatusConflict},
		{api.ErrUnavailable, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.category.Error(), func(t *testing.T) {
			err := api.WithCategory(tt.category, fmt.Errorf("step: %w", errors.New("cause")))
			assert.Equal(t, tt.status, api.Status(err))
			assert.Equal(t, "step: cause", err.Error(), "the category adds no text")
			assert.ErrorIs(t, err, api.Category(tt.status))
		})
	}
	assert.Equal(t, http.StatusInternalServerError, api.Status(errors.New("boom")))
	assert.Nil(t, api.Category(http.StatusTeapot))
	assert.NoError(t, api.WithCategory(api.ErrInvalid, nil))
}
