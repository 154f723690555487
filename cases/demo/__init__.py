"""The fictional demo cohort: `cohort` says who is in it, `builders` writes it through
the services. Loaded by `python manage.py load_demo_data`."""
