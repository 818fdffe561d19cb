"""Background work. Job functions take ids, load what they need, and are safe to run twice."""
