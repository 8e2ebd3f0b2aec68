import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { IdentifierSet } from '../../agent/llm/identifiers';
import { dicomIdentifiers, edfIdentifiers, rowIdentifiers } from '../../agent/llm/identifierSources';
import { nameLikeWords } from '../../agent/llm/nameLike';
import { assertNoIdentifiers, safeFileLabel } from '../../agent/llm/deidentify';
import { isMedLabError } from '../../agent/errors';
import { requireSharedData } from '../support/sharedData';

function blocked(set: IdentifierSet, text: string): boolean {
  return set.find(text) !== undefined;
}

describe('identifier filter', () => {
  describe('EDF header fields', () => {
    it('blocks an EDF+ patient name, code and birth date in any spelling', () => {
      const ids = edfIdentifiers({
        patient: 'MCH-0234567 F 02-MAY-1951 Haagse_Harry',
        recording: 'Startdate 02-MAR-2002 EMG561 BK/JOP Sony. MNC R Median Nerve.',
      });
      for (const leak of [
        'The patient Harry Haagse has a seizure',
        'HAAGSE',
        'record MCH-0234567',
        'mch 0234567',
        'born 02-MAY-1951',
        'born 1951-05-02',
        'born 2 May 1951',
        'admin EMG561',
        'recorded 02-MAR-2002',
      ]) {
        assert.ok(blocked(ids, leak), leak);
      }
      // Common words from the free-text part stay usable; so do ordinary prompts.
      for (const ok of [
        'The median of the alpha band power is high.',
        'Seizure probability 91.2% on 19 channels, female patient.',
      ]) {
        assert.ok(!blocked(ids, ok), ok);
      }
      // Capitalised words of free text might be names: blocked, at the cost of "Nerve".
      assert.ok(blocked(ids, 'nerve conduction'));
    });

    it('blocks a plain-EDF name with accents, folded either way', () => {
      const ids = edfIdentifiers({ patient: 'Müller_Jürgen', recording: 'Startdate X X X X' });
      assert.ok(blocked(ids, 'Jürgen Müller'));
      assert.ok(blocked(ids, 'Juergen is not written so, but MULLER is'));
      assert.ok(!blocked(ids, 'the alpha rhythm'));
    });

    it('keeps placeholders and prose headers from blocking ordinary words', () => {
      const none = edfIdentifiers({ patient: 'X X X X', recording: 'Startdate X X X X' });
      assert.equal(none.size, 0);
      const prose = edfIdentifiers({
        patient: 'A 3Hz sinewave and a 0.2Hz block signal, both starting in their positive phase',
        recording: '110 seconds from 13-JUL-2000 12.05.48hr.',
      });
      assert.ok(!blocked(prose, 'The signal has a positive phase.'));
      assert.ok(
        blocked(prose, 'a 3hz sinewave and a 0 2hz block signal both starting in their positive phase'),
      );
    });
  });

  describe('DICOM patient tags (shared file 06, fake identifiers)', () => {
    let ids: IdentifierSet;
    before(function () {
      const file = requireSharedData(this, 'xray-dicom', '06_fake_patient_identifiers.dcm');
      ids = dicomIdentifiers(fs.readFileSync(file));
    });

    it('blocks every identifier the README lists', () => {
      for (const leak of [
        'DOE^JANE',
        'Jane Doe',
        'doe',
        'MRN-0001',
        '19700101',
        '1 January 1970',
        'FAKE GENERAL HOSPITAL',
        'referred by John Smith',
        'ACC-0001',
        'SSN-000-00-0000',
        '1 FAKE STREET, NOWHERE',
      ]) {
        assert.ok(blocked(ids, leak), leak);
      }
      assert.ok(!blocked(ids, 'A frontal chest radiograph, general appearance normal.'));
    });

    it('finds nothing in a file with anonymous tags', function () {
      const file = requireSharedData(this, 'xray-dicom', '01_mono2_8bit_explicit.dcm');
      const clean = dicomIdentifiers(fs.readFileSync(file));
      assert.ok(!blocked(clean, 'ANONYMOUS patient, covid probability 12%'));
    });
  });

  describe('file names', () => {
    it('recognises names and leaves dataset naming schemes alone', () => {
      assert.deepEqual(nameLikeWords('/data/Doe_John_CXR.png'), ['doe', 'john']);
      assert.deepEqual(nameLikeWords('smith-jane.edf'), ['smith', 'jane']);
      assert.deepEqual(nameLikeWords('JaneDoe_chest_PA.dcm'), ['jane', 'doe']);
      for (const plain of [
        'kermany_person148_virus_298.jpg',
        'kermany_NORMAL2-IM-0853-0001.jpg',
        'nih_00003361_012.png',
        'actualmed_CR.1.2.840.113564.1722810170.20200320011259312440.1003000225002.jpg',
        'ieee8023_1312A392-67A3-4EBF-9319-810CF6DA5EF6.jpg',
        'ieee8023_post-intubuation-pneumomediastium-and-pneumothorax-background-covid-19-pneumonia-day1.jpg',
        'Subject00_1.edf',
        'syn_1020_alpha_artefacts.edf',
        'edfio_SC4001EC-Hypnogram.edf',
      ]) {
        assert.equal(nameLikeWords(plain), undefined, plain);
      }
    });

    it('withholds name-like parts of paths in labels', () => {
      assert.equal(safeFileLabel('/d/covid/x_001.png', '/d'), 'covid/x_001.png');
      const label = safeFileLabel('/d/Doe_John/Doe_John_CXR.png', '/d');
      assert.match(label, /^\[name withheld [0-9a-f]{6}\]\/\[name withheld [0-9a-f]{6}\]\.png$/);
      assert.ok(!/doe|john/i.test(label));
    });
  });

  it('blocks patient ids of results rows but not their source', () => {
    const ids = rowIdentifiers({ patient_id: 'kermany_person148', source: 'kermany', name: 'Jane Roe' });
    assert.ok(blocked(ids, 'image of person148'));
    assert.ok(blocked(ids, 'kermany person148'));
    assert.ok(blocked(ids, 'Roe'));
    assert.ok(!blocked(ids, 'source kermany, view AP'));
  });

  it('the gate scans every string of a request except image payloads, and never echoes the identifier', () => {
    const ids = edfIdentifiers({
      patient: 'X F 02-MAR-1970 Synthetic_Zed',
      recording: 'Startdate 15-JUN-2023 X X X',
    });
    assert.doesNotThrow(() =>
      assertNoIdentifiers({ model: 'm', messages: [{ content: 'alpha band' }] }, ids),
    );
    assert.throws(
      () =>
        assertNoIdentifiers(
          {
            model: 'm',
            messages: [
              { role: 'user', content: 'hi' },
              { role: 'user', content: 'is Zed ok?' },
            ],
          },
          ids,
        ),
      (e: unknown) =>
        isMedLabError(e) &&
        e.code === 'E_PRIVACY' &&
        /EDF patient field/.test(e.message) &&
        !/zed/i.test(e.message),
    );
    // A base64 image that happens to contain the letters is not text.
    assert.doesNotThrow(() =>
      assertNoIdentifiers({ messages: [{ content: 'x', images: ['abc+Zed/xyz'] }] }, ids),
    );
  });
});
