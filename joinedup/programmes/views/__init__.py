"""The programmes app's pages, by area: setting up, reports, claims, a participant."""
