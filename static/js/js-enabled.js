// Tells GOV.UK Frontend's styles that JavaScript runs. A file, not an inline script, so the
// Content-Security-Policy can refuse every inline script (issue 17).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
