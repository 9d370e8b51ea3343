// Progressive enhancement of a job's progress (jinja2/jobs/_progress.html). Without JavaScript the
// page reloads itself (a meta refresh inside <noscript>). With it, this asks for the page again in
// the background and puts the new progress text into the live region, which a screen reader
// announces; when the job has finished, it loads the page (now its result).
const region = document.querySelector('[data-job-progress]')
if (region) {
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { 'X-Requested-With': 'progress' } })
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const next = page.querySelector('[data-job-progress]')
      if (!next || next.dataset.status === 'done' || next.dataset.status === 'failed') {
        region.textContent = next ? next.textContent : 'Finished. Showing the result.'
        window.location.reload()
        return
      }
      if (next.textContent.trim() !== region.textContent.trim()) {
        region.innerHTML = next.innerHTML
        region.dataset.status = next.dataset.status
      }
    } catch (e) {
      // A missed look is tried again.
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 1000)
}
