#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Production unless told otherwise (issue 17): make run and the tests choose their settings explicitly.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
