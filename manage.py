#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianxi_portal.settings")
    # settings-dependent: Django's management entry point loads after DJANGO_SETTINGS_MODULE is set
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
