import '../styles.scss';

// Filled in by the consultation page: /consult/{id} (with the site's header) and /embed/{id} (chrome-less, in an iframe).
document.getElementById('content')!.textContent = 'Loading the consultation…';
