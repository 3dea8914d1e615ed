"""The delivery engine: every notice a recorded delivery, signed, retried, never lost silently."""
