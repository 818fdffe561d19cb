"""gunicorn settings of the `web` process (Procfile):

    gunicorn -c python:gateway.web.gunicorn_config gateway.wsgi:app

The access log keeps who called (address), the method and the path WITHOUT its query
string (callback and USSD tokens travel there), the status, the size, the time taken in
milliseconds and the worker's pid; no referrer, no user agent. Command-line options
(`--bind`, `--workers`) override these.
"""
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 15  # Africa's Talking waits 15 s for a hop
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms pid=%(p)s'
