"""The application wizard's steps, one small class each, and the step list of every track.

A step says what it is (name, title, form, template), whether it applies to a cycle, how its
form is filled from what is saved, how a POST to it is saved (through the services) and which of
the application's problems it can put right. The view (``awards.views.application_wizard``)
only asks the step list of the application's track (``awards.wizard.tracks.steps_for``), so a
track with other steps needs no change to the view.

Layers: views → wizard → forms → services/queries → application_content → models.
"""
